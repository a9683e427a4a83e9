import type { Owner } from '../calls/model';
import type { Services } from './services';
import { appFaultScope, callFaultScope, type FaultScope } from '../store/fault-profiles';
import type { FaultProfile } from '../faults/profile';

/** The profile that applies, and where its request count is kept. */
export interface ActiveProfile {
  readonly profile: FaultProfile;
  readonly scope: FaultScope;
  readonly source: 'call' | 'app' | 'setting';
}

/**
 * How stale a profile may be when another instance changed it. The instance that changed it sees
 * the change at once; the others read the app's row at most this often, so the requests and
 * deliveries of an app without a profile (nearly all of them) cost no extra round trip.
 */
export const PROFILE_FRESHNESS_MS = 1000;

/**
 * The fault profile for an app's call: the call's own, else the app's, else the FAULT_PROFILE
 * setting. In local mode the app's row is read at most every PROFILE_FRESHNESS_MS per instance,
 * and a call's only for an app that has given some call a profile of its own. Outside local mode
 * nothing is read.
 */
export async function activeProfile(s: Services, owner: Owner, callId?: string): Promise<ActiveProfile | undefined> {
  if (s.config.mode !== 'local') return undefined;
  const now = s.now();
  const app = await s.faults.getRecent(appFaultScope(owner), PROFILE_FRESHNESS_MS, now);
  const call = callId !== undefined && app?.record.callProfiles ? await s.faults.getRecent(callFaultScope(callId), PROFILE_FRESHNESS_MS, now) : undefined;
  const callProfile = call?.record.ownerAppId === owner.appId ? call.record.profile : undefined;
  if (callProfile && callId !== undefined) return { profile: callProfile, scope: callFaultScope(callId), source: 'call' };
  if (app?.record.profile) return { profile: app.record.profile, scope: appFaultScope(owner), source: 'app' };
  if (s.config.faultProfile) return { profile: s.config.faultProfile, scope: appFaultScope(owner), source: 'setting' };
  return undefined;
}
