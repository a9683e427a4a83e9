import { LRUCache } from 'lru-cache';
import { QuotaExceeded } from './errors';
import type { Services } from './services';

/**
 * Per-app quotas, so one app cannot fill the service that every app shares: calls not yet ended
 * (MAX_CALLS_PER_APP) and, per call, the changes that notify its bot (MAX_NOTIFICATIONS_PER_CALL,
 * which also bounds the call's dead letters). Beyond one, Graph's 429 with Retry-After.
 *
 * The calls count is soft: an instance counts an app's calls at most every COUNT_MAX_AGE_MS (one
 * query, up to the quota) and adds the calls it created since; several instances at once can let
 * an app exceed it by what each created within that window.
 */
const COUNT_MAX_AGE_MS = 10_000;

/** One process's count of each app's calls not ended: when it was counted, and its creates since. */
export class CallCounts {
  readonly counted = new LRUCache<string, { count: number; at: number }>({ max: 10_000 });
  /** One count at a time per app: a burst of creates shares it. */
  readonly counting = new Map<string, Promise<{ count: number; at: number }>>();
}

export function quotaExceeded(message: string, retryAfterSeconds: number): QuotaExceeded {
  return new QuotaExceeded(message, retryAfterSeconds);
}

/** Refuses a new call of an app that has MAX_CALLS_PER_APP calls not yet ended; counts it otherwise. */
export async function admitNewCall(s: Services, appId: string): Promise<void> {
  const quota = s.config.quotas.callsPerApp;
  const now = s.now();
  const { counted, counting } = s.callCounts;
  let entry = counted.get(appId);
  if (!entry || now - entry.at >= COUNT_MAX_AGE_MS) {
    let pending = counting.get(appId);
    if (!pending) {
      pending = s.reader.countActive(appId, quota).then((count) => {
        const fresh = { count, at: now };
        counted.set(appId, fresh);
        return fresh;
      });
      counting.set(appId, pending);
      void pending.finally(() => counting.delete(appId)).catch(() => undefined);
    }
    entry = await pending;
  }
  if (entry.count >= quota) throw quotaExceeded(`The application has ${quota} calls that have not ended, its quota (MAX_CALLS_PER_APP); end one, or retry later.`, 10);
  entry.count++;
}

/** Whether a change by the app may add notifications to a call that has had `notifyingChanges` of them. */
export function assertNotificationQuota(s: Services, notifyingChanges: number): void {
  const quota = s.config.quotas.notificationsPerCall;
  if (notifyingChanges >= quota) {
    throw quotaExceeded(`This call has notified its bot ${quota} times, its quota (MAX_NOTIFICATIONS_PER_CALL); hang it up and make a new one.`, 60);
  }
}
