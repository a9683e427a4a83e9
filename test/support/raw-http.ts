import net from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  readonly status: number;
  readonly head: string;
  readonly body: string;
  readonly ms: number;
}

/**
 * Writes bytes exactly as given to a server (no client library normalizes Host or the target) and
 * reads until the server closes or answers. `trickle` sends the rest one byte at a time.
 */
export function rawRequest(port: number, head: string, options: { trickle?: string; trickleEveryMs?: number; timeoutMs?: number } = {}): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(timer);
      const [headPart = '', ...rest] = data.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headPart)?.[1] ?? 0);
      resolve({ status, head: headPart, body: rest.join('\r\n\r\n'), ms: Date.now() - started });
    };
    socket.setTimeout(options.timeoutMs ?? 10_000, () => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${options.timeoutMs ?? 10_000} ms; got: ${data}`));
    });
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      // One complete response is enough (the server may keep the connection open).
      const m = /content-length: (\d+)/i.exec(data);
      const end = data.indexOf('\r\n\r\n');
      if (end >= 0 && m && Buffer.byteLength(data.slice(end + 4)) >= Number(m[1])) {
        socket.destroy();
        finish();
      }
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.write(head);
    if (options.trickle) {
      let i = 0;
      const rest = options.trickle;
      timer = setInterval(() => {
        if (i < rest.length && !socket.destroyed) socket.write(rest[i++] ?? '');
      }, options.trickleEveryMs ?? 200);
    }
  });
}
