import type { DomainContext } from '../calls/draft';
import type { Call, CallChange, Owner } from '../calls/model';
import { renderNotifications } from '../graph/notifications';
import type { CallRecord, } from '../store/rows';
import type { PlannedChange } from '../store/call-store';
import { domainContext, type Services } from './services';

/**
 * The one way state changes: decide (pure, in calls/), render the notifications, commit call row +
 * operation rows + outbox row in one transaction, then ask for delivery. A new timer's media-clock
 * message is sent before the commit, so a crash after the commit cannot lose it; if the commit
 * loses a race instead, that message finds a different token and does nothing. One that arrives
 * before its commit is visible waits for it (see media-clock.ts).
 */

/** The shortest wake-up: the queue counts in whole seconds. */
const MIN_CLOCK_DELAY_SECONDS = 1;

function plan<R>(s: Services, change: CallChange<R>): PlannedChange<R> {
  return { change, notifications: renderNotifications(change.call, change.events, s.config.enumCasing) };
}

async function sendTimer(s: Services, before: Call | undefined, after: Call): Promise<void> {
  const timer = after.timer;
  if (!timer || timer.token === before?.timer?.token) return;
  const delaySeconds = Math.max(MIN_CLOCK_DELAY_SECONDS, (timer.dueAt - s.now()) / 1000);
  await s.mediaClock.send({ callId: after.id, token: timer.token, version: after.version, sentAt: s.now() }, delaySeconds);
}

/**
 * After the commit, the change has happened whatever follows: a failed send only delays delivery
 * until the sweeper finds the outbox row, so it is logged, not reported as a failed request.
 */
async function requestDelivery(s: Services, planned: PlannedChange<unknown>): Promise<void> {
  if (planned.notifications.length === 0) return;
  const callId = planned.change.call.id;
  try {
    await s.notifications.send({ callId });
  } catch (error) {
    console.warn(`Call ${callId}: could not ask for delivery (the sweeper will): ${(error as Error).message}`);
  }
}

/** Creates a call (outgoing or incoming) with its first notifications. */
export async function insertCall(s: Services, decide: (ctx: DomainContext) => CallChange<Call>): Promise<Call> {
  const ctx = domainContext(s);
  const planned = plan(s, decide(ctx));
  await sendTimer(s, undefined, planned.change.call);
  await s.store.insert(planned, ctx.now);
  await requestDelivery(s, planned);
  return planned.change.call;
}

export type Decision<R> = (call: Call, ctx: DomainContext) => CallChange<R> | undefined;

export interface Changed<R> {
  /** The call as it was when the change was decided. */
  readonly before: Call;
  /** Undefined when the decision was to change nothing. */
  readonly change?: CallChange<R>;
}

/**
 * Applies a decision to a call, retrying on a lost race. Undefined when the call does not exist
 * or belongs to another app than `owner` (callers answer both with the same 404).
 */
export async function changeCall<R>(s: Services, callId: string, owner: Owner | undefined, decide: Decision<R>): Promise<Changed<R> | undefined> {
  let hidden = false;
  const result = await s.store.mutate<R>(
    callId,
    (record: CallRecord) => {
      if (owner && !isOwner(record.call, owner)) {
        hidden = true;
        return undefined;
      }
      const change = decide(record.call, domainContext(s));
      return change && plan(s, change);
    },
    { now: s.now, beforeCommit: (planned, before) => sendTimer(s, before.call, planned.change.call) },
  );
  if (!result || hidden) return undefined;
  if (result.planned) await requestDelivery(s, result.planned);
  return { before: result.before.call, ...(result.planned && { change: result.planned.change }) };
}

export function isOwner(call: Pick<Call, 'owner'>, owner: Owner): boolean {
  return call.owner.tenantId === owner.tenantId && call.owner.appId === owner.appId;
}
