import { fetch, type Dispatcher } from 'undici';
import { envelope, type CommsNotification } from '../graph/notifications';
import { callbackShapeProblem } from './callback-url';
import { assertPublicHost, NOT_PUBLIC_CODE } from './public-callbacks';
import { classify, type Attempt } from './retry-policy';

export const USER_AGENT = 'graph-calls-media-service/1.0';
/**
 * How much of a bot's answer body is read. Graph needs only the status; reading a little lets the
 * connection be reused, and a body beyond this (a bot streaming without end) is not read: the
 * connection is closed instead, so no bot can make the service hold its answer in memory.
 */
export const MAX_ANSWER_BYTES = 64 * 1024;
/** The header carrying the notification's stable id, as in Graph's own notification traffic. */
export const NOTIFICATION_ID_HEADER = 'X-Microsoft-Skype-Message-ID';
export const CHAIN_ID_HEADER = 'X-Microsoft-Skype-Chain-ID';

export interface Post {
  readonly url: string;
  readonly notification: CommsNotification;
  readonly notificationId: string;
  readonly token: string;
  readonly chainId?: string;
  readonly timeoutMs: number;
  /** A fault profile's `empty`: the POST carries no body at all. */
  readonly emptyBody?: boolean;
  /** Deployed mode connects through a dispatcher that refuses private addresses. */
  readonly dispatcher?: Dispatcher;
  /** Local mode may connect through one that trusts more CAs (see trust.ts); no address checks. */
  readonly localDispatcher?: Dispatcher;
}

/** POSTs one notification in a commsNotifications envelope and says how it went. */
export async function post(request: Post): Promise<Attempt> {
  // A URL stored before the policy existed (user:password@, say) cannot become deliverable by
  // waiting: the HTTP client refuses it before connecting, so it is final, never retried unseen.
  const problem = callbackShapeProblem(request.url);
  if (problem) return { kind: 'final', error: `callback refused: the URL ${problem}` };
  const dispatcher = request.dispatcher ?? request.localDispatcher;
  try {
    if (request.dispatcher) assertPublicHost(request.url);
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${request.token}`,
        'User-Agent': USER_AGENT,
        [NOTIFICATION_ID_HEADER]: request.notificationId,
        ...(request.chainId && { [CHAIN_ID_HEADER]: request.chainId }),
      },
      body: request.emptyBody ? '' : JSON.stringify(envelope(request.notification)),
      ...(dispatcher && { dispatcher }),
    });
    const readWhole = await readAnswer(response.body);
    const attempt = classify(response.status, response.headers.get('retry-after'), Date.now());
    return readWhole ? attempt : { ...attempt, note: `answer body over ${MAX_ANSWER_BYTES} bytes: not read` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    for (const e of [error as { code?: string; message?: string }, cause]) {
      // Not a passing fault: the address will not become public by waiting.
      if (e?.code === NOT_PUBLIC_CODE) return { kind: 'final', error: `callback refused: ${e.message}` };
    }
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { kind: 'retry', error: reason };
  }
}

/** Reads an answer body up to MAX_ANSWER_BYTES (freeing the connection); beyond that, hangs up. Whether it was read whole. */
async function readAnswer(body: ReadableStream<Uint8Array> | null): Promise<boolean> {
  if (!body) return true;
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      bytes += chunk.value.byteLength;
      if (bytes > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => undefined);
        return false;
      }
    }
  } catch {
    // A body that breaks off changes nothing: the status has been answered.
  }
  return true;
}
