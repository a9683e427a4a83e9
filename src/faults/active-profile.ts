import type { Owner } from '../calls/model';
import type { Services } from '../service/services';
import { appFaultScope, callFaultScope, type FaultScope } from '../store/fault-profiles';
import type { FaultProfile } from './profile';

/** The profile that applies, and where its request count is kept. */
export interface ActiveProfile {
  readonly profile: FaultProfile;
  readonly scope: FaultScope;
  readonly source: 'call' | 'app' | 'setting';
}

/**
 * The fault profile for an app's call: the call's own, else the app's, else the FAULT_PROFILE
 * setting. One point read (the app's row) per request or drain in local mode; a second only for
 * an app that has given some call a profile of its own. None outside local mode, where nothing is read.
 */
export async function activeProfile(s: Services, owner: Owner, callId?: string): Promise<ActiveProfile | undefined> {
  if (s.config.mode !== 'local') return undefined;
  const app = await s.faults.get(appFaultScope(owner));
  const call = callId !== undefined && app?.record.callProfiles ? await s.faults.get(callFaultScope(callId)) : undefined;
  const callProfile = call?.record.ownerAppId === owner.appId ? call.record.profile : undefined;
  if (callProfile && callId !== undefined) return { profile: callProfile, scope: callFaultScope(callId), source: 'call' };
  if (app?.record.profile) return { profile: app.record.profile, scope: appFaultScope(owner), source: 'app' };
  if (s.config.faultProfile) return { profile: s.config.faultProfile, scope: appFaultScope(owner), source: 'setting' };
  return undefined;
}
