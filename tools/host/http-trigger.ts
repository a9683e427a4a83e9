import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { HttpResponse } from '@azure/functions';
import { invokeRoute, matchRoute, type HttpLibrary, type HttpRoute } from './http-dispatch';
import type { InFlight } from './invocation';
import type { HostLogger } from './logger';
import { requestUrl } from './request-target';

export interface HttpTriggerDeps {
  readonly routes: readonly HttpRoute[];
  readonly library: HttpLibrary;
  readonly logger: HostLogger;
  readonly inFlight: InFlight;
  readonly maxRequestBodyBytes: number;
  readonly isStopping: () => boolean;
  /** Aborted when the host stops: streamed responses end then, instead of holding the shutdown. */
  readonly stopSignal?: AbortSignal;
  readonly limits?: Partial<ServerLimits>;
}

/**
 * What a client may cost the server, set on purpose rather than left to node's defaults (which let
 * a slow client hold a connection for minutes): a client that trickles its headers or body is
 * answered 408 and disconnected; oversized headers are answered 431.
 */
export interface ServerLimits {
  /** Time to receive the whole header block. */
  readonly headersTimeoutMs: number;
  /** Time to receive the whole request, body included. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** How often node looks for requests past their time. */
  readonly checkIntervalMs: number;
  readonly maxHeaderBytes: number;
  readonly maxHeadersCount: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxHeadersCount: 100,
};

class BodyTooLarge extends Error {}

export function createHttpServer(deps: HttpTriggerDeps): http.Server {
  const limits = serverLimits(deps);
  const server = http.createServer(serverOptions(limits), requestListener(deps));
  return withHeaderLimits(server);
}

/** The limits a server applies, host.json-independent: what the host passes, over the defaults. */
export function serverLimits(deps: HttpTriggerDeps): ServerLimits {
  return { ...DEFAULT_SERVER_LIMITS, ...deps.limits };
}

/** Node's own timeouts and header size, set on purpose so a slow or hostile client cannot hold a socket. */
export function serverOptions(limits: ServerLimits): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
    maxHeaderSize: limits.maxHeaderBytes,
  };
}

export function withHeaderLimits<S extends http.Server>(server: S): S {
  // Node would silently drop headers past its count; the count is checked per request instead (431).
  server.maxHeadersCount = 0;
  server.maxRequestsPerSocket = 1000;
  return server;
}

/** Serves the routes on any node:http-compatible server (the https one too, see https.ts). */
export function requestListener(deps: HttpTriggerDeps): http.RequestListener {
  const limits = serverLimits(deps);
  return (req, res) => {
    void deps.inFlight.track(handle(req, res, deps, limits));
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: HttpTriggerDeps, limits: ServerLimits): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = requestUrl(req);
  if (deps.isStopping()) res.setHeader('Connection', 'close');
  if (req.rawHeaders.length / 2 > limits.maxHeadersCount) {
    req.resume();
    await sendHostError(res, 431, deps);
    return;
  }
  if (!url) {
    req.resume();
    const status = await sendHostError(res, 400, deps);
    deps.logger.log('information', `${method} (malformed target or Host) ${status}`);
    return;
  }

  let status: number;
  try {
    status = await dispatch(req, res, method, url, deps);
  } catch (error) {
    // The app let an exception escape: the Functions host answers 500 with no body.
    deps.logger.log('error', `${method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    status = 500;
    if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
    res.end();
  }
  deps.logger.log('information', `${method} ${url.pathname}${url.search} ${status} ${Math.round(performance.now() - started)}ms`);
}

async function dispatch(req: IncomingMessage, res: ServerResponse, method: string, url: URL, deps: HttpTriggerDeps): Promise<number> {
  const matched = matchRoute(deps.routes, method, url.pathname);
  if (!matched) {
    // As the Azure host answers a path (or a method) no function takes: 404, empty body. An app
    // that wants another answer registers a catch-all route, as this one does.
    req.resume();
    res.writeHead(404, { 'Content-Length': '0' });
    res.end();
    return 404;
  }

  let body: Buffer;
  try {
    body = await readBody(req, deps.maxRequestBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendHostError(res, 413, deps);
    throw error;
  }

  const { response, streamed } = await invokeRoute(matched, { method, url, headers: flattenHeaders(req), body }, deps);
  return writeResponse(res, response, streamed, deps);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Reads the whole body, refusing (before or while streaming) anything over the cap. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Writes what the handler returned the way the Functions host does: status, headers, whole body.
 * A body the handler gave as a stream is written as it comes (chunked), as the Azure host does with
 * `app.setup({ enableHttpStream: true })`, until it ends, the client goes away or the host stops.
 */
async function writeResponse(res: ServerResponse, response: HttpResponse, streamed: boolean, deps: HttpTriggerDeps): Promise<number> {
  if (response.cookies.length > 0) {
    deps.logger.log('warning', 'The local host does not write HttpResponse.cookies; set a Set-Cookie header instead.');
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (streamed && response.body) {
    delete headers['content-length'];
    res.writeHead(response.status, headers);
    res.flushHeaders();
    await writeStream(res, response.body, deps.stopSignal);
    return response.status;
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (![204, 304].includes(response.status)) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
  return response.status;
}

/** Copies a stream body to the socket, chunk by chunk; cancels it when the client leaves or the host stops. */
async function writeStream(res: ServerResponse, body: ReadableStream<Uint8Array>, stopSignal: AbortSignal | undefined): Promise<void> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  res.once('close', cancel);
  stopSignal?.addEventListener('abort', cancel, { once: true });
  if (stopSignal?.aborted) cancel();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      // Respect back-pressure: a slow reader holds the stream, not the host's memory.
      if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } catch {
    // The stream failed after the headers went out: all that is left is to end the response.
  } finally {
    res.off('close', cancel);
    stopSignal?.removeEventListener('abort', cancel);
    res.end();
  }
}

/**
 * The host's own answer to a request it will not hand to the app (malformed, too many headers, a
 * body over the limit): the status with an empty body, as the Azure host answers these, and the
 * connection closed. The app's Graph-shaped errors are the app's to give.
 */
function sendHostError(res: ServerResponse, status: number, deps: HttpTriggerDeps): Promise<number> {
  res.setHeader('Connection', 'close');
  return writeResponse(res, new deps.library.HttpResponse({ status }), false, deps);
}
