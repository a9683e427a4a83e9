import { fetch, type Dispatcher } from 'undici';
import { envelope, type CommsNotification } from '../graph/notifications';
import { callbackShapeProblem } from './callback-url';
import { assertPublicHost, NOT_PUBLIC_CODE } from './public-callbacks';
import { classify, type Attempt } from './retry-policy';

export const USER_AGENT = 'graph-calls-media-service/1.0';
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
      body: JSON.stringify(envelope(request.notification)),
      ...(dispatcher && { dispatcher }),
    });
    // The body is not needed; reading it to the end frees the connection for reuse.
    await response.arrayBuffer().catch(() => undefined);
    return classify(response.status, response.headers.get('retry-after'), Date.now());
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
