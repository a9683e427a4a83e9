import { GraphError } from '../graph/errors';
import type { GraphHandler } from '../graph/handler';
import { parseGuid } from '../graph/ids';
import { parseDeadLetterId, type DeadLetter } from '../store/dead-letters';
import { services } from '../service/services';

/**
 * The dead letters of notification delivery, for the operator: list them, and replay one once the
 * bot works again. Replay puts the notifications back at the end of the call's outbox, addressed to
 * the call's current callbackUri, with the same notification ids.
 */
function view(letter: DeadLetter) {
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
  return { status: 200, jsonBody: { value: letters.map(view) } };
};

/** POST /notifications/deadLetters/{id}/replay */
export const replayDeadLetter: GraphHandler = async (request) => {
  const s = services();
  const id = request.params['id'] ?? '';
  const key = parseDeadLetterId(id);
  const letter = key && (await s.deadLetters.get(key));
  if (!key || !letter) throw GraphError.itemNotFound(`Dead letter '${id}' was not found.`);
  const result = await s.store.mutate(
    letter.callId,
    (record) => ({
      change: { call: record.call, created: [], patches: [], events: [], result: undefined },
      notifications: letter.notifications,
      notificationIds: letter.ids,
    }),
    { now: s.now },
  );
  if (!result) throw GraphError.itemNotFound(`Call '${letter.callId}' of dead letter '${id}' no longer exists.`);
  await s.deadLetters.remove(key);
  await s.notifications.send({ callId: letter.callId });
  return { status: 202, jsonBody: { replayed: id, outboxSeq: result.before.outboxSeq } };
};
