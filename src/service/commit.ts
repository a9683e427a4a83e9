import { randomBytes, randomUUID } from 'node:crypto';
import type { DomainContext } from '../calls/draft';
import { isOwnedBy, type Call, type CallChange, type Owner } from '../calls/model';
import { endedAs } from '../calls/lifecycle';
import { newId } from '../graph/ids';
import { renderNotifications, type CommsNotification } from '../graph/notifications';
import { recordingPath } from '../graph/paths';
import type { LoadedCall, SubmitResult } from '../store/call-store';
import type { Services } from './services';
import { assertNotificationQuota } from './quotas';
import { Contention } from './errors';

/**
 * The one way a call changes. Read top-down, `commitChange` is the whole write path: load the
 * call (or take the row this instance last wrote, store/remembered-calls.ts), check its owner,
 * decide (pure, in calls/), render the notifications (graph/), send the media-clock message the
 * change needs, commit call row + operation rows + outbox row in one transaction, ask for
 * delivery. A lost race (another writer moved the call row's ETag) reads the row and decides again.
 */

/** A decision about a call: the change, or undefined to change nothing. Pure; may throw CallRuleViolation. */
export type Decide<R> = (call: Call, ctx: DomainContext) => CallChange<R> | undefined;

export type CommitOutcome<R> =
  /** No such call, one being deleted, or another app's: callers answer all three with the same 404. */
  | { readonly kind: 'notFound' }
  /** The decision was to change nothing (hanging up an ended call, an old clock message). */
  | { readonly kind: 'unchanged'; readonly call: Call }
  | { readonly kind: 'changed'; readonly before: Call; readonly change: CallChange<R> };

export interface CommitOptions {
  /** Only this app's call may change; undefined for the service's own work (the media clock, the operator). */
  readonly owner?: Owner;
  /** Notifications rendered before (a dead letter's replay), committed with their ids instead of the change's own. */
  readonly resend?: { readonly notifications: readonly CommsNotification[]; readonly ids: readonly string[] };
}

/** Attempts of a change that keeps losing the race for the call row before it gives up (503). */
export const MAX_COMMIT_ATTEMPTS = 12;
/** The shortest wake-up: the queue counts in whole seconds. */
const MIN_CLOCK_DELAY_SECONDS = 1;

export async function commitChange<R>(s: Services, callId: string, decide: Decide<R>, options: CommitOptions = {}): Promise<CommitOutcome<R>> {
  // One process's changes to a call line up (s.callLocks), so they do not lose ETag races to each other.
  return s.callLocks.run(callId, async () => {
    // The row this instance last wrote saves the read; storage's If-Match proves it current.
    let loaded = s.calls.lend(callId);
    let fresh = loaded === undefined;
    loaded ??= await s.calls.load(callId);
    for (let attempt = 1; ; attempt++) {
      if (!loaded || loaded.record.deleting) return { kind: 'notFound' };
      const before = loaded.record.call;
      if (options.owner && !isOwnedBy(before, options.owner)) return { kind: 'notFound' };

      const decided = fresh ? decideOn(s, loaded, decide, options) : orDoubt(() => decideOn(s, loaded as LoadedCall, decide, options));
      if (decided === DOUBT) {
        // A refusal or "nothing to do" decided on a remembered row may be another instance's news: read it.
        loaded = await s.calls.load(callId);
        fresh = true;
        continue;
      }
      if (!decided) return { kind: 'unchanged', call: before };
      const { change, notifications } = decided;

      const changeId = randomUUID();
      const committed = (await alongsideClockMessage(s, before, change.call, s.calls.submit({ change, notifications, notificationIds: options.resend?.ids, loaded, changeId, now: s.now() }))) === 'committed';
      if (!committed) {
        // Another writer moved the row, or this one did: the SDK retries a transaction whose reply
        // was lost, and the retry fails on the ETag its own first attempt moved. The row tells.
        loaded = await s.calls.load(callId);
        if (!loaded?.record.changeIds?.includes(changeId)) {
          if (attempt >= MAX_COMMIT_ATTEMPTS) {
            throw new Contention(`Call ${callId} is being changed by many requests at once. Retry the request.`, 1);
          }
          // Randomized, growing pause so racing writers spread out; a stale remembered row is no race.
          if (fresh) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
          fresh = true;
          continue;
        }
      }
      requestDelivery(s, change.call, notifications);
      await countInjected(s, change);
      await applyEffects(s, change);
      return { kind: 'changed', before, change };
    }
  });
}

const DOUBT = Symbol('doubt');

/** The decision on `loaded` and its notifications; undefined when it changes nothing. */
function decideOn<R>(s: Services, loaded: LoadedCall, decide: Decide<R>, options: CommitOptions): { change: CallChange<R>; notifications: readonly CommsNotification[] } | undefined {
  const change = decide(loaded.record.call, domainContext(s));
  if (!change) return undefined;
  const notifications = options.resend?.notifications ?? renderNotifications(change.call, change.events, s.config.enumCasing, s.config.notificationIdForm);
  // An app's own request may not notify without end; ending the call always may.
  const ending = change.call.state === 'terminating' || change.call.state === 'terminated';
  if (options.owner && notifications.length > 0 && !ending) assertNotificationQuota(s, loaded.record.outboxSeq);
  return { change, notifications };
}

/** A decision on a row that may be stale: only a change stands; anything else is a doubt to settle by reading. */
function orDoubt<T>(decided: () => T | undefined): T | typeof DOUBT {
  try {
    return decided() ?? DOUBT;
  } catch {
    return DOUBT;
  }
}

/** Creates a call (outgoing or incoming) with its first notifications. */
export async function commitNewCall(s: Services, decide: (ctx: DomainContext) => CallChange<Call>): Promise<Call> {
  const change = decide(domainContext(s));
  const notifications = renderNotifications(change.call, change.events, s.config.enumCasing, s.config.notificationIdForm);
  const changeId = randomUUID();
  const result = await alongsideClockMessage(s, undefined, change.call, s.calls.submit({ change, notifications, loaded: undefined, changeId, now: s.now() }));
  // A conflict can be this create's own first attempt, whose reply was lost and which the SDK retried.
  if (result !== 'committed' && !(await s.calls.load(change.call.id))?.record.changeIds?.includes(changeId)) throw new Error(`Call id ${change.call.id} is taken.`);
  requestDelivery(s, change.call, notifications);
  await countInjected(s, change);
  return change.call;
}

/**
 * What a committed change does to the app's other calls: a consultative transfer ends the call the
 * invitee was on. Each is a change of its own, after this one (the calls are different rows); a
 * call that is not the app's, or has ended, is left as is.
 */
async function applyEffects(s: Services, change: CallChange<unknown>): Promise<void> {
  for (const { callId, resultInfo } of change.effects?.endCalls ?? []) {
    await commitChange(s, callId, (call, ctx) => endedAs(call, resultInfo, ctx), { owner: change.call.owner });
  }
}

/** A change that tells of an injected failure counts it in the app's fault summary (best effort: it explains a run). */
async function countInjected(s: Services, change: CallChange<unknown>): Promise<void> {
  const injected = change.events.flatMap((e) => ('injected' in e && e.injected ? [e.injected] : []));
  if (injected.length === 0) return;
  const counts: Partial<Record<(typeof injected)[number], number>> = {};
  for (const fault of injected) counts[fault] = (counts[fault] ?? 0) + 1;
  await s.faults.count(change.call.owner, counts, s.now()).catch((error: unknown) => console.warn(`Call ${change.call.id}: fault counts not recorded: ${(error as Error).message}`));
}

/**
 * A new timer's media-clock messages go out beside the commit's transaction, not before it: a
 * request costs one round trip of time, not two. One that overtakes its commit waits for it (see
 * media-clock.ts); if the commit loses a race instead, the message finds another token and does
 * nothing. A send that fails while its commit lands is only logged: the change has happened, and
 * the sweeper sends the overdue timer's message again (SWEEP_AFTER_MS), as after a crash between
 * the two.
 */
async function alongsideClockMessage(s: Services, before: Call | undefined, after: Call, commit: Promise<SubmitResult>): Promise<SubmitResult> {
  const [committed, ...sent] = await Promise.allSettled([commit, ...clockMessages(s, before, after)]);
  if (committed.status === 'rejected') throw committed.reason;
  const failed = sent.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failed.length > 0 && committed.value === 'committed') console.warn(`Call ${after.id}: a media-clock message was not sent (the sweeper will): ${failed.join('; ')}`);
  return committed.value;
}

/** A call has two wake-ups, each sent when the change sets a new one: its timer (media, DTMF, state deadlines) and its keep-alive deadline. */
function clockMessages(s: Services, before: Call | undefined, after: Call): Promise<unknown>[] {
  const timers = [
    [after.timer, before?.timer],
    [after.keepAlive, before?.keepAlive],
  ] as const;
  return timers.flatMap(([timer, previous]) => {
    if (!timer || timer.token === previous?.token) return [];
    const delaySeconds = Math.max(MIN_CLOCK_DELAY_SECONDS, (timer.dueAt - s.now()) / 1000);
    return [s.mediaClock.send({ callId: after.id, token: timer.token, version: after.version, sentAt: s.now() }, delaySeconds)];
  });
}

/**
 * After the commit the change has happened, whatever follows. A bot that answers promptly is
 * delivered to at once, without waiting for the queue's poll, while the queue message that is the
 * guarantee goes out (whichever delivers first, the other finds the outbox empty). The request does
 * not wait for that send: its outcome never changed the answer, since a failed send (or a crash
 * before it) only delays delivery until the sweeper finds the outbox row.
 */
function requestDelivery(s: Services, call: Call, notifications: readonly CommsNotification[]): void {
  if (notifications.length === 0) return;
  s.delivery.committed(s, call.id, call.owner.appId, call.callbackUri);
  // Started on the next turn of the event loop: building and signing it is work the answer need not wait for.
  setImmediate(() => {
    s.notifications.send({ callId: call.id }).catch((error: unknown) => {
      console.warn(`Call ${call.id}: could not ask for delivery (the sweeper will): ${(error as Error).message}`);
    });
  });
}

/** The inputs of one decision, at the current time. */
export function domainContext(s: Services): DomainContext {
  return {
    now: s.now(),
    timing: s.config.timing,
    newId,
    recording: (call: Call, operationId: string) => ({
      location: `${call.baseUrl}${recordingPath(call.id, operationId)}`,
      accessToken: randomBytes(32).toString('base64url'),
    }),
    silentRecordingOnCallerHangUp: s.config.recordingOnCallerHangUp === 'silent',
  };
}
