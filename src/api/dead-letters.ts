import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { recipientKey } from '../notify/recipients';
import { commitChange } from '../service/commit';
import { services } from '../app/services';
import { parseDeadLetterId, type DeadLetter } from '../store/dead-letters';
import type { GraphHandler } from './graph-route';

/**
 * The dead letters of notification delivery, for the operator: list them, and replay one once the
 * bot works again. Replay puts the notifications back at the end of the call's outbox, addressed to
 * the call's current callbackUri, with the same notification ids.
 */
export function deadLetterView(letter: DeadLetter) {
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

/** GET /notifications/deadLetters[?callId=...] */
export const listDeadLetters: GraphHandler = async (request) => {
  const raw = request.query.get('callId');
  const callId = raw === null ? undefined : parseGuid(raw);
  if (raw !== null && !callId) throw GraphError.badRequest(`'callId' must be a call id (a GUID); got '${raw}'.`);
  const letters = await services().deadLetters.list(callId);
  return { status: 200, jsonBody: { value: letters.map(deadLetterView) } };
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
