import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { originOf, recipientKey } from '../notify/recipients';
import { services } from '../app/services';
import type { DeliveryLogEntry } from '../store/delivery-log-row';
import { DELIVERY_LOG_LIMIT } from '../store/table-schema';
import { serviceBaseUrl } from '../notify/issuer';
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
  const page = logPage(request.query.get('$top'), request.query.get('$skiptoken'));
  const s = services();
  const [loaded, entries, waiting] = await Promise.all([s.calls.load(callId), s.deliveryLog.read(callId), s.outbox.pending(callId)]);
  if (!loaded) throw GraphError.itemNotFound(`Call '${callId}' was not found.`);
  const { owner: { appId }, callbackUri } = loaded.record.call;
  const origin = originOf(callbackUri);
  const circuit = await s.circuits.current(recipientKey(appId, callbackUri), s.now());
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
      waiting: waiting.slice(0, WAITING_SHOWN).flatMap(({ row }) =>
        row.ids.slice(row.delivered).map((notificationId, k) => ({
          notificationId,
          queuedAt: iso(row.createdAt),
          // Only the first one waiting has been tried; the rest wait behind it, in order.
          ...(k === 0 && row.attempts > 0 && { attempts: row.attempts, nextAttemptAt: iso(row.nextAttemptAt), lastError: row.lastError }),
          // Held back by the fault profile (delayed, dropped, or waiting to be reordered) until then.
          ...(k === 0 && row.faultHold?.index === row.delivered && !row.faultHold.posted && row.nextAttemptAt > s.now() && { heldUntil: iso(row.nextAttemptAt), fault: row.faultHold.applied.at(-1) }),
        })),
      ),
      ...(waiting.length > WAITING_SHOWN && { moreWaitingRows: waiting.length - WAITING_SHOWN }),
      ...pageOf(entries, page, request.url, serviceBaseUrl(s.config, request.url)),
    },
  };
};

/** The outbox rows the answer lists; a longer backlog is counted, not listed. */
const WAITING_SHOWN = 100;

interface LogPage {
  readonly size: number;
  /** The number of the last entry of the page before. */
  readonly after: number;
}

/** `$top` (1 to DELIVERY_LOG_LIMIT, all by default) and `$skiptoken` (from @odata.nextLink); 400 otherwise. */
function logPage(top: string | null, skip: string | null): LogPage {
  const size = top === null ? DELIVERY_LOG_LIMIT : /^\d{1,3}$/.test(top) ? Number(top) : NaN;
  if (!(size >= 1 && size <= DELIVERY_LOG_LIMIT)) throw GraphError.badRequest(`'$top' must be a whole number from 1 to ${DELIVERY_LOG_LIMIT}; got '${(top ?? '').slice(0, 40)}'.`);
  if (skip === null) return { size, after: -1 };
  const after = /^\d{1,12}$/.test(skip) ? Number(skip) : NaN;
  if (!Number.isSafeInteger(after)) throw GraphError.badRequest(`'$skiptoken' is not one this service gave out; follow @odata.nextLink as it is.`);
  return { size, after };
}

/** A page of the log, oldest first, with @odata.nextLink (on the service's own address) while more follow. */
function pageOf(entries: readonly DeliveryLogEntry[], page: LogPage, url: string, base: string) {
  const after = entries.filter((e) => e.n > page.after);
  const shown = after.slice(0, page.size);
  const last = shown.at(-1);
  if (after.length <= shown.length || !last) return { value: shown.map(view) };
  const asked = new URL(url);
  const next = new URL(`${asked.pathname}${asked.search}`, base);
  next.searchParams.set('$skiptoken', String(last.n));
  return { value: shown.map(view), '@odata.nextLink': next.toString() };
}
