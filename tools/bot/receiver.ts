import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { JWTPayload } from 'jose';
import { trustedIssuers } from './issuers';

/**
 * A bot's notification endpoint, as a Graph calling bot runs one: it validates each POST's bearer
 * token against the service's published keys (OpenID configuration → JWKS; audience = the bot's
 * app id; issuer = one of the service's addresses, see ./issuers.ts) and answers 202, or 401 when the token does not validate.
 */
export interface ReceivedNotification {
  /** The notification's stable id (X-Microsoft-Skype-Message-ID). */
  readonly id: string;
  readonly notification: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly claims: JWTPayload;
  readonly receivedAt: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering (a slow or hanging bot). */
  readonly delayMs?: number;
}

export interface BotOptions {
  /** The service's base URL, e.g. http://127.0.0.1:7071. */
  readonly serviceUrl: string;
  /** The bot's app id: the audience its tokens must carry. */
  readonly appId: string;
  readonly port?: number;
  /** Serve https with this certificate (e.g. one from the local CA, tools/https/local-ca.ts). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Decides the answer to each valid notification (default 202), for tests of failing bots. */
  readonly reply?: (notification: ReceivedNotification, attempt: number) => Reply | Promise<Reply>;
  readonly onNotification?: (notification: ReceivedNotification) => void;
  readonly onRejected?: (reason: string) => void;
}

export interface RunningBot {
  /** The URL to give as callbackUri. */
  readonly callbackUri: string;
  /** Every notification answered 2xx, in arrival order. */
  readonly received: ReceivedNotification[];
  /** Every POST, accepted or not, with the id it carried. */
  readonly attempts: { readonly id: string; readonly status: number }[];
  readonly rejected: string[];
  close(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const issuers = await trustedIssuers(options.serviceUrl);
  const received: ReceivedNotification[] = [];
  const attempts: { id: string; status: number }[] = [];
  const rejected: string[] = [];
  const attemptsById = new Map<string, number>();

  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const id = String(req.headers['x-microsoft-skype-message-id'] ?? '');
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        let claims: JWTPayload;
        try {
          if (!token) throw new Error('no bearer token');
          claims = await issuers.verify(token, options.appId);
        } catch (error) {
          const reason = (error as Error).message;
          rejected.push(reason);
          options.onRejected?.(reason);
          attempts.push({ id, status: 401 });
          res.writeHead(401).end();
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.trim() === '') {
          // What Microsoft's Communications SDK answers a callback with no payload.
          attempts.push({ id, status: 400 });
          res.writeHead(400, { 'content-type': 'text/plain' }).end('Unexpected empty message content');
          return;
        }
        const body = JSON.parse(text) as { value: Record<string, unknown>[] };
        for (const notification of body.value) {
          const entry: ReceivedNotification = { id, notification, claims, receivedAt: Date.now() };
          const attempt = (attemptsById.get(id) ?? 0) + 1;
          attemptsById.set(id, attempt);
          const reply = (await options.reply?.(entry, attempt)) ?? { status: 202 };
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          attempts.push({ id, status: reply.status });
          if (reply.status >= 200 && reply.status < 300) {
            received.push(entry);
            options.onNotification?.(entry);
          }
          if (!res.headersSent) res.writeHead(reply.status, reply.headers ?? {}).end();
        }
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    callbackUri: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/callback`,
    received,
    attempts,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
