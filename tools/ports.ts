import net from 'node:net';
import { readFile } from 'node:fs/promises';

/** A port that was free a moment ago, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Throws one sentence naming the setting when a port the service must listen on is taken. */
export async function assertPortFree(port: number, setting: string): Promise<void> {
  if (await isPortFree(port)) return;
  throw new Error(`port ${port} (${setting}) is in use, perhaps by another npm start; stop it, or set ${setting} to a free port (for example ${setting}=${port + 100} npm start)`);
}

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, stillWorth: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWorth()) {
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing is listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A free port below the system's ephemeral range, for a listener that binds it later (a child
 * process, or one that must come back on the same port after a restart): a port from the ephemeral
 * range (what `freePort` gets) can meanwhile become the local end of any outgoing connection on
 * the machine, and then the listener cannot bind it (EADDRINUSE).
 */
export async function restartablePort(): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const low = Number(range.trim().split(/\s+/)[0]) || 32768;
  const from = Math.max(10_000, low - 20_000);
  for (let i = 0; i < 100; i++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await isPortFree(port)) return port;
  }
  return freePort();
}
