import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { serviceBaseUrl } from '../notify/issuer';
import { recipientKey } from '../notify/recipients';
import { commitChange } from '../service/commit';
import { services } from '../app/services';
import { parseDeadLetterId, type DeadLetter } from '../store/dead-letters';
import type { DeadLetterView } from './console-views';
import type { GraphHandler } from './error-boundary';

/**
 * The dead letters of notification delivery, for the operator: list them, and replay one once the
 * bot works again. Replay puts the notifications back at the end of the call's outbox, addressed to
 * the call's current callbackUri, with the same notification ids.
 */
export function deadLetterView(letter: DeadLetter): DeadLetterView {
  return {
    id: letter.id,
    callId: letter.callId,
    callbackUri: letter.recipient.callbackUri,
    attempts: letter.attempts,
    firstQueuedAt: new Date(letter.firstQueuedAt).toISOString(),
    deadAt: new Date(letter.deadAt).toISOString(),
    reason: letter.reason,
    lastError: letter.lastError,
    notifications: letter.notifications,
  };
}

/** A page of the list unless `$top` says otherwise; and the most a page holds. */
export const DEAD_LETTER_PAGE = 100;

/** GET /notifications/deadLetters[?callId=...][&$top=N][&$skiptoken=...]: a page, with @odata.nextLink to the next. */
export const listDeadLetters: GraphHandler = async (request) => {
  const raw = request.query.get('callId');
  const callId = raw === null ? undefined : parseGuid(raw);
  if (raw !== null && !callId) throw GraphError.badRequest(`'callId' must be a call id (a GUID); got '${raw}'.`);
  const size = pageSize(request.query.get('$top'));
  const after = skipToken(request.query.get('$skiptoken'));
  const { letters, next } = await services().deadLetters.page(callId, { size, ...(after !== undefined && { after }) });
  const nextLink = next === undefined ? undefined : linkTo(serviceBaseUrl(services().config, request.url), request.url, next);
  return { status: 200, jsonBody: { value: letters.map(deadLetterView), ...(nextLink && { '@odata.nextLink': nextLink }) } };
};

function pageSize(raw: string | null): number {
  if (raw === null) return DEAD_LETTER_PAGE;
  const size = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(size >= 1 && size <= DEAD_LETTER_PAGE)) throw GraphError.badRequest(`'$top' must be a whole number from 1 to ${DEAD_LETTER_PAGE}; got '${raw.slice(0, 40)}'.`);
  return size;
}

/** The storage's continuation token (base64 of where the next page starts), carried URL-safe; anything else is refused. */
function skipToken(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  const where = /^[A-Za-z0-9_-]{1,2000}$/.test(raw) ? readJson(Buffer.from(raw, 'base64url').toString('utf8')) : undefined;
  if (typeof where?.['nextPartitionKey'] !== 'string') throw GraphError.badRequest(`'$skiptoken' is not one this service gave out; follow @odata.nextLink as it is.`);
  return Buffer.from(raw, 'base64url').toString('base64');
}

function readJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The same request on the service's own address (never the Host a request named), with the next token. */
function linkTo(base: string, url: string, next: string): string {
  const asked = new URL(url);
  const link = new URL(`${asked.pathname}${asked.search}`, base);
  link.searchParams.set('$skiptoken', Buffer.from(next, 'base64').toString('base64url'));
  return link.toString();
}

/** POST /notifications/deadLetters/{id}/replay */
export const replayDeadLetter: GraphHandler = async (request) => {
  const s = services();
  const id = request.params['id'] ?? '';
  const key = parseDeadLetterId(id);
  const letter = key && (await s.deadLetters.get(key));
  if (!key || !letter) throw GraphError.itemNotFound(`Dead letter '${id}' was not found.`);
  // The call itself does not change: the commit only appends the letter's notifications to its outbox.
  const outcome = await commitChange(s, letter.callId, (call) => ({ call, created: [], patches: [], events: [], result: undefined }), {
    resend: { notifications: letter.notifications, ids: letter.ids },
  });
  if (outcome.kind === 'notFound') throw GraphError.itemNotFound(`Call '${letter.callId}' of dead letter '${id}' no longer exists.`);
  // A replay means the bot works again: if its circuit is open, probe it now rather than at its next turn.
  const call = outcome.kind === 'changed' ? outcome.change.call : outcome.call;
  await s.circuits.probeNow(recipientKey(call.owner.appId, call.callbackUri), s.now());
  await s.deadLetters.remove(key);
  return { status: 202, jsonBody: { replayed: id } };
};
