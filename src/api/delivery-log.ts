import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { originOf, recipientKey } from '../notify/recipients';
import { services } from '../app/services';
import type { DeliveryLogEntry } from '../store/delivery-log-row';
import type { DeliveryAttemptView } from './console-views';
import type { GraphHandler } from './error-boundary';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function view(entry: DeliveryLogEntry): DeliveryAttemptView {
  return {
    at: iso(entry.at),
    notificationId: entry.notificationId,
    attempt: entry.attempt,
    outcome: entry.outcome,
    ...(entry.status !== undefined && { status: entry.status }),
    ...(entry.error !== undefined && { error: entry.error }),
    latencyMs: entry.latencyMs,
    lane: entry.lane,
    callbackUri: entry.callbackUri,
    ...(entry.nextAttemptAt !== undefined && { nextAttemptAt: iso(entry.nextAttemptAt) }),
    ...(entry.fault !== undefined && { fault: entry.fault }),
    ...(entry.note !== undefined && { note: entry.note }),
  };
}

/**
 * GET /notifications/log?callId=...: why a bot did or did not get a call's notifications. The
 * call's last delivery attempts (oldest first), what still waits in its outbox, and the state of
 * its recipient's circuit breaker. For the operator, like the dead letters.
 */
export const getDeliveryLog: GraphHandler = async (request) => {
  const raw = request.query.get('callId');
  const callId = raw === null ? undefined : parseGuid(raw);
  if (!callId) throw GraphError.badRequest(`'callId' must be a call id (a GUID); got '${raw ?? ''}'.`);
  const s = services();
  const [loaded, entries, waiting] = await Promise.all([s.calls.load(callId), s.deliveryLog.read(callId), s.outbox.pending(callId)]);
  if (!loaded) throw GraphError.itemNotFound(`Call '${callId}' was not found.`);
  const { owner: { appId }, callbackUri } = loaded.record.call;
  const origin = originOf(callbackUri);
  const circuit = await s.circuits.view(recipientKey(appId, callbackUri), s.now(), 0);
  return {
    status: 200,
    jsonBody: {
      callId,
      callbackUri: loaded.record.call.callbackUri,
      recipient: {
        origin,
        circuit: circuit?.state ?? 'closed',
        ...(circuit?.state === 'open' && { openedAt: iso(circuit.openedAt), nextProbeAt: iso(circuit.probeAt) }),
        ...(circuit && circuit.failures > 0 && { failuresInARow: circuit.failures }),
        ...(circuit?.lastError !== undefined && { lastError: circuit.lastError }),
      },
      waiting: waiting.flatMap(({ row }) =>
        row.ids.slice(row.delivered).map((notificationId, k) => ({
          notificationId,
          queuedAt: iso(row.createdAt),
          // Only the first one waiting has been tried; the rest wait behind it, in order.
          ...(k === 0 && row.attempts > 0 && { attempts: row.attempts, nextAttemptAt: iso(row.nextAttemptAt), lastError: row.lastError }),
          // Held back by the fault profile (delayed, dropped, or waiting to be reordered) until then.
          ...(k === 0 && row.faultHold?.index === row.delivered && !row.faultHold.posted && row.nextAttemptAt > s.now() && { heldUntil: iso(row.nextAttemptAt), fault: row.faultHold.applied.at(-1) }),
        })),
      ),
      value: entries.map(view),
    },
  };
};
