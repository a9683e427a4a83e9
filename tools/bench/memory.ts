import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { startEnvironment } from './environment';

/**
 * Memory under hostile neighbours: the host's resident memory idle, then its peak while bots answer
 * with endless bodies and clients send bodies far over the limit (declared and streamed), beside
 * each other for ten seconds. Bounded reads (64 KiB of an answer, 256 KiB of a request) keep the
 * peak near the idle figure however long the flood lasts.
 */
const FLOOD_MS = 10_000;
const ENDLESS_BOTS = 8;
const CALLS_PER_BOT = 4;
const BIG_REQUESTS = 50;

export async function runMemoryBenchmark(): Promise<void> {
  // The app's own body limit, as local.settings.example.json and the deployment set it.
  const env = await startEnvironment({ FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '262144' });
  const servers: http.Server[] = [];
  try {
    const pid = env.host.child.pid ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idle = rssMiB(pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);

    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let b = 0; b < ENDLESS_BOTS; b++) {
      const server = http.createServer((req, res) => {
        req.resume();
        res.writeHead(200);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
      for (let c = 0; c < CALLS_PER_BOT; c++) {
        const id = await env.api.establishedCall(url);
        void env.api.action(id, 'subscribeToTone').then(async () => {
          for (let t = 0; t < 20; t++) await env.api.pressTone(id, '1').catch(() => undefined);
        });
      }
    }
    const port = env.host.port;
    const big = Array.from({ length: BIG_REQUESTS }, (_, i) => oversized(port, i % 2 === 0));
    await new Promise((resolve) => setTimeout(resolve, FLOOD_MS));
    clearInterval(sampler);
    const refused = (await Promise.all(big)).filter((status) => status === 413).length;

    console.log(`\nmemory: the host's resident memory, MiB (node ${process.version})\n`);
    console.log('idle   under the flood (peak)   peak − idle');
    console.log(`${idle.toFixed(0).padStart(4)}   ${peak.toFixed(0).padStart(22)}   ${(peak - idle).toFixed(0).padStart(11)}`);
    console.log(`\nflood: ${ENDLESS_BOTS} bots answering 200 with endless bodies (${ENDLESS_BOTS * CALLS_PER_BOT} calls pressing keys), and ${BIG_REQUESTS} requests`);
    console.log(`of 90 MiB (half declared, half streamed) for ${FLOOD_MS / 1000} s; ${refused} of them answered 413.`);
  } finally {
    servers.forEach((s) => s.closeAllConnections());
    servers.forEach((s) => s.close());
    await env.stop();
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** A 90 MiB body to the API without a token: declared in Content-Length, or streamed in chunks. Resolves with the status. */
function oversized(port: number, declared: boolean): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const size = 90 * 1024 * 1024;
    const head = `POST /v1.0/communications/calls HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${declared ? `Content-Length: ${size}` : 'Transfer-Encoding: chunked'}\r\n\r\n`;
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      if (status) {
        socket.destroy();
        resolve(status);
      }
    });
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    const piece = Buffer.alloc(256 * 1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < size && !socket.destroyed) {
        const body = declared ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
        sent += piece.length;
        if (!socket.write(body)) return socket.once('drain', write);
      }
    };
    socket.write(head, write);
  });
}
