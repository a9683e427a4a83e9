import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { serviceBaseUrl } from '../notify/issuer';
import { recipientKey } from '../notify/recipients';
import { commitChange } from '../service/commit';
import { services } from '../app/services';
import { parseDeadLetterId, type DeadLetter } from '../store/dead-letters';
import type { DeadLetterView } from './console-views';
import type { GraphHandler } from './error-boundary';
import { nextLinkOf, pageSize, storageSkipToken } from './paging';

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
  const size = pageSize(request.query.get('$top'), DEAD_LETTER_PAGE);
  const after = storageSkipToken(request.query.get('$skiptoken'));
  const { letters, next } = await services().deadLetters.page(callId, { size, ...(after !== undefined && { after }) });
  const nextLink = next === undefined ? undefined : nextLinkOf(serviceBaseUrl(services().config, request.url), request.url, next);
  return { status: 200, jsonBody: { value: letters.map(deadLetterView), ...(nextLink && { '@odata.nextLink': nextLink }) } };
};

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
