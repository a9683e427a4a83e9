import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  readonly service: 'table' | 'queue';
  readonly method: string;
  readonly path: string;
}

/**
 * A pass-through HTTP proxy in front of Azurite's table and queue endpoints that records every
 * request, so a test can count the storage round trips one API call makes.
 */
export async function startStorageProxy(target: { table: number; queue: number }) {
  const log: ProxiedRequest[] = [];
  // When set, the next table transaction reaches storage but its reply is lost (the connection drops).
  let dropNextBatchReply = false;
  /** The storage status of each transaction whose reply was dropped: proof that it reached storage. */
  const droppedReplies: number[] = [];
  const servers = await Promise.all(
    (['table', 'queue'] as const).map(
      (service) =>
        new Promise<[typeof service, http.Server]>((resolve) => {
          const server = http.createServer((req, res) => {
            log.push({ service, method: req.method ?? '', path: req.url ?? '' });
            const dropReply = service === 'table' && dropNextBatchReply && (req.url ?? '').includes('$batch');
            if (dropReply) dropNextBatchReply = false;
            const upstream = http.request(
              { host: '127.0.0.1', port: target[service], method: req.method, path: req.url, headers: req.headers },
              (up) => {
                if (dropReply) {
                  droppedReplies.push(up.statusCode ?? 0);
                  up.resume();
                  up.on('end', () => res.destroy());
                  return;
                }
                res.writeHead(up.statusCode ?? 502, up.headers);
                up.pipe(res);
              },
            );
            upstream.on('error', () => res.writeHead(502).end());
            req.pipe(upstream);
          });
          server.listen(0, '127.0.0.1', () => resolve([service, server]));
        }),
    ),
  );
  const port = (service: 'table' | 'queue') => (servers.find(([s]) => s === service)?.[1].address() as AddressInfo).port;
  return {
    ports: { table: port('table'), queue: port('queue') },
    log,
    droppedReplies,
    dropNextBatchReply: () => {
      dropNextBatchReply = true;
    },
    close: () => Promise.all(servers.map(([, s]) => new Promise((r) => s.close(r)))),
  };
}
