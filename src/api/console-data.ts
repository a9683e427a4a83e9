import type { HttpRequest } from '@azure/functions';
import type { Call, Operation } from '../calls/model';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { kindOf } from '../notify/faults';
import { services } from '../app/services';
import type { Services } from '../service/services';
import type { CallListQuery } from '../store/call-reader';
import { deadLetterView } from './dead-letters';
import { routeCallId } from './owned-calls';
import type { CallListView, CallView, DeliveryView, OperationView, ParticipantView, ResultInfoView } from './console-views';
import { participantsJson } from '../graph/resources';
import type { GraphHandler } from './error-boundary';

/**
 * What the local console shows, as JSON: the newest calls, and one call with its timeline, media
 * queue, operations, notifications and dead letters. The same views go out over the console's
 * event stream (console-events.ts). Reads only: the console changes calls through the emulator's
 * and the Graph routes, like a test.
 */

/** The list shows this many of the newest calls, found among at most SCAN_LIMIT call rows. */
export const LIST_LIMIT = 100;
const SCAN_LIMIT = 2000;
/** A call's view keeps its last notifications: a long call (keep-alives, many tones) has many. */
const NOTIFICATION_LIMIT = 300;

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const CALL_STATES = new Set(['incoming', 'establishing', 'established', 'transferring', 'transferAccepted', 'redirecting', 'terminating', 'terminated']);

/** `?app=` and `?state=` of a list request; a 400 for values no call can have. */
export function listQueryOf(request: HttpRequest): CallListQuery {
  const app = request.query.get('app') || undefined;
  const state = request.query.get('state') || undefined;
  const appId = app === undefined ? undefined : parseGuid(app);
  if (app !== undefined && !appId) throw GraphError.badRequest(`'app' must be an app id (a GUID); got '${app}'.`);
  if (state !== undefined && !CALL_STATES.has(state)) throw GraphError.badRequest(`'state' must be one of ${[...CALL_STATES].join(', ')}; got '${state}'.`);
  return { ...(appId && { appId }), ...(state && { state }), limit: LIST_LIMIT, scanLimit: SCAN_LIMIT };
}

export async function callListView(s: Services, query: CallListQuery): Promise<CallListView> {
  const { calls, truncated } = await s.reader.list(query);
  return {
    value: calls.map((c) => ({ ...c, createdAt: iso(c.createdAt), endedAt: iso(c.endedAt) })),
    // The table held more call rows than one scan reads: older calls may be missing.
    truncated,
  };
}

function operationView(op: Operation): OperationView {
  return {
    id: op.id,
    type: op.type,
    status: op.status,
    clientContext: op.clientContext ?? null,
    resultInfo: op.resultInfo ?? null,
    completionReason: op.completionReason ?? null,
    recordingLocation: op.recordingLocation ?? null,
    recordingAccessToken: op.recordingAccessToken ?? null,
    createdAt: iso(op.createdAt),
    endedAt: iso(op.endedAt),
  };
}

type Json = Record<string, unknown>;
const resourceDataOf = (n: Json) => n['resourceData'] as Json | Json[] | undefined;

/** One call as the console shows it; undefined when it does not exist (any more). */
export async function callView(s: Services, callId: string): Promise<CallView | undefined> {
  const [contents, letters] = await Promise.all([s.reader.read(callId), s.deadLetters.ofCall(callId)]);
  if (!contents) return undefined;
  const { call, operations, waiting, history } = contents;

  // Delivery as far as the outbox and the dead letters tell: still waiting, dead, or gone (delivered).
  const pending = new Map<string, DeliveryView>();
  for (const row of waiting) {
    row.ids.forEach((id, i) => {
      if (i < row.delivered) return;
      const tried = i === row.delivered && row.attempts > 0;
      pending.set(id, { outcome: 'waiting', ...(tried && { attempts: row.attempts, nextAttemptAt: iso(row.nextAttemptAt), lastError: row.lastError ?? null }) });
    });
  }
  const dead = new Map<string, DeliveryView>();
  for (const letter of letters) letter.ids.forEach((id) => dead.set(id, { outcome: 'deadLettered', deadLetterId: letter.id, attempts: letter.attempts, lastError: letter.lastError, reason: letter.reason }));

  const notifications = history.flatMap((row) =>
    row.notifications.map((notification, index) => {
      const id = row.ids[index] ?? '';
      return { id, seq: row.seq, index, at: iso(row.at), delivery: pending.get(id) ?? dead.get(id) ?? { outcome: 'delivered' }, notification };
    }),
  );
  // The call's states as its notifications told them; a tone is a call notification too, but no new state.
  const timeline: CallView['timeline'][number][] = [];
  for (const row of history) {
    for (const n of row.notifications) {
      const data = resourceDataOf(n as Json);
      if (!data || Array.isArray(data) || kindOf(n) !== 'callState') continue;
      const entry = { at: iso(row.at), changeType: (n['changeType'] as string | undefined) ?? null, state: String(data['state'] ?? ''), resultInfo: (data['resultInfo'] as ResultInfoView | undefined) ?? null };
      const last = timeline.at(-1);
      if (last && last.state === entry.state && JSON.stringify(last.resultInfo) === JSON.stringify(entry.resultInfo)) continue;
      timeline.push(entry);
    }
  }
  const source = call.resource['source'] as Json | undefined;
  return {
    call: {
      id: call.id,
      appId: call.owner.appId,
      tenantId: call.owner.tenantId,
      direction: call.direction,
      state: call.state,
      callbackUri: call.callbackUri,
      family: call.family,
      apiVersion: call.apiVersion,
      mediaHosting: call.mediaHosting,
      createdAt: iso(call.createdAt),
      endedAt: iso(call.endedAt),
      resultInfo: call.resultInfo ?? null,
      toneSubscription: call.toneSubscription !== undefined,
      recordingStatus: call.recordingStatus ?? null,
      transfer: call.transfer ? { target: call.transfer.target, fate: call.transfer.fate } : null,
      nextTransferFate: call.transferFate ?? null,
      source: source ?? null,
      targets: call.resource['targets'] ?? null,
      keepAliveDueAt: iso(call.keepAlive?.dueAt),
    },
    participants: participantViews(call),
    nextInviteFate: call.inviteFate ?? null,
    meetingId: call.meetingId ?? null,
    timeline: timeline.length > 0 ? timeline : [{ at: iso(call.createdAt), changeType: null, state: call.state, resultInfo: call.resultInfo ?? null }],
    mediaQueue: call.mediaQueue.map((q, i) => ({
      id: q.id,
      type: q.type,
      clientContext: q.clientContext ?? null,
      // The first of the queue runs once the call is established.
      status: i === 0 && call.running?.operationId === q.id ? 'running' : 'queued',
    })),
    operations: operations.map(operationView),
    notifications: notifications.slice(-NOTIFICATION_LIMIT),
    deadLetters: letters.map(deadLetterView),
  };
}

/** The roster as the bot would read it (GET participants), named and marked for the page. */
function participantViews(call: Call): ParticipantView[] {
  if (call.state === 'terminated') return [];
  return participantsJson(call).map((p, i) => {
    const identity = ((p['info'] as Json | undefined)?.['identity'] ?? {}) as Record<string, Json | undefined>;
    const who = identity['user'] ?? identity['application'] ?? identity['phone'] ?? identity['guest'];
    const id = String(p['id']);
    const guest = call.guests?.find((g) => g.id === id);
    return {
      id,
      name: String(who?.['displayName'] ?? who?.['id'] ?? (i === 0 ? 'bot' : 'unknown')),
      role: i === 0 ? 'bot' : guest ? 'guest' : 'other',
      state: guest?.state ?? 'joined',
      muted: p['isMuted'] === true,
      onHold: call.onHold?.participantId === id,
    };
  });
}

/** GET /emulator/calls[?app=...&state=...]: the newest calls of every app, newest first. */
export const listCalls: GraphHandler = async (request) => ({ status: 200, jsonBody: await callListView(services(), listQueryOf(request)) });

/** GET /emulator/calls/{callId}: one call with everything the console shows of it. */
export const getCallView: GraphHandler = async (request) => {
  const callId = routeCallId({ request });
  const view = await callView(services(), callId);
  if (!view) throw GraphError.itemNotFound(`Call '${callId}' was not found.`);
  return { status: 200, jsonBody: view };
};
