import type { HttpRequest } from '@azure/functions';
import type { CallingApp } from '../auth/tokens';
import { activeProfile } from '../service/active-fault-profile';
import { spanMs, type ApiFault, type ApiFaults, type CallFault, type FaultProfile, type RouteFamily } from '../faults/profile';
import { CALL_NOT_FOUND } from '../faults/presets';
import { between, chance } from '../faults/random';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import type { Services } from '../service/services';
import { addCounts, emptyFaultRecord } from '../store/fault-profiles';

/** What a request's route does, for API faults that apply to some routes only. */
export function routeFamilyOf(request: HttpRequest): RouteFamily {
  if (request.method === 'GET') return 'reads';
  if (request.method === 'DELETE') return 'hangUp';
  return request.params['callId'] === undefined ? 'createCall' : 'callActions';
}

interface Decision {
  readonly refuse?: 'throttled' | 'unavailable' | 'actionFailed';
  readonly latencyMs?: number;
}

/** A request's number since the profile was set, for the call faults its handler decides (api/call-faults.ts). */
export interface FaultDraw {
  readonly profile: FaultProfile;
  readonly n: number;
}

/**
 * What the API faults do to the request numbered `n` since the profile was set: `next` counts
 * from there, rates draw from the seed and `n`. Throttling is decided before unavailability.
 */
export function decide(api: ApiFaults, seed: number, n: number): Decision {
  const refuse = refused('throttle', api.throttle, seed, n) ? 'throttled' : refused('unavailable', api.unavailable, seed, n) ? 'unavailable' : undefined;
  const latency = api.latency && chance(api.latency.rate, seed, 'latency', n) ? spanMs(api.latency, (min, max) => between(min, max, seed, 'latencyMs', n)) : undefined;
  return { ...(refuse && { refuse }), ...(latency !== undefined && { latencyMs: latency }) };
}

/** Whether a refusal (`next` requests, or a share of them) takes request `n`. */
function refused(kind: string, fault: { rate?: number | undefined; next?: number | undefined } | undefined, seed: number, n: number): boolean {
  return fault !== undefined && ((fault.next !== undefined && n < fault.next) || (fault.rate !== undefined && chance(fault.rate, seed, kind, n)));
}

/**
 * What request `n` suffers: the API faults when its route is one they apply to, and, for a request
 * on an existing call, `calls.failActions` (decided after them: a throttled request fails as throttled).
 */
export function decideRequest(profile: FaultProfile, family: RouteFamily, onCall: boolean, n: number): Decision {
  const { api, calls, seed } = profile;
  const d = api && (!api.routes || api.routes.includes(family)) ? decide(api, seed, n) : {};
  return !d.refuse && onCall && refused('failActions', calls?.failActions, seed, n) ? { ...d, refuse: 'actionFailed' } : d;
}

/**
 * The request edge's faults (local mode): before the handler runs, a request may wait (added
 * latency) and may be refused with 429 or 503, so a refused request changes nothing. The request
 * is numbered and the faults counted in storage, so every instance numbers and counts the same.
 */
export async function applyRequestFaults(s: Services, request: HttpRequest, app: CallingApp): Promise<FaultDraw | undefined> {
  const owner = { tenantId: app.tenantId, appId: app.appId };
  const callId = parseGuid(request.params['callId'] ?? '');
  const active = await activeProfile(s, owner, callId);
  const { api, calls } = active?.profile ?? {};
  if (!active || (!calls && (!api || (api.routes && !api.routes.includes(routeFamilyOf(request)))))) return undefined;

  const countsHere = active.source !== 'call'; // a call's own row numbers its requests; counts are the app's
  const numbered = await s.faults.update(active.scope, (current) => {
    const record = current ?? emptyFaultRecord(s.now());
    const d = decideRequest(active.profile, routeFamilyOf(request), callId !== undefined, record.requests);
    const next = { ...record, requests: record.requests + 1 };
    return { record: countsHere ? addCounts(next, countsOf(d)) : next, result: { d, n: record.requests } };
  });
  if (!numbered) return undefined;
  const { d: decision, n } = numbered;
  if (!countsHere) await s.faults.count(owner, countsOf(decision), s.now());

  if (decision.latencyMs) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  const retryAfter = (fault: ApiFaults['throttle']) => fault?.retryAfterSeconds ?? 2;
  if (decision.refuse === 'throttled') throw GraphError.tooManyRequests(retryAfter(api?.throttle));
  if (decision.refuse === 'unavailable') {
    throw new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry again later.', { 'Retry-After': String(retryAfter(api?.unavailable)) }, '503', { status: '503' });
  }
  if (decision.refuse === 'actionFailed') {
    const error = active.profile.calls?.failActions?.error ?? CALL_NOT_FOUND;
    throw new GraphError(error.status, error.code, error.message ?? `Injected failure ${error.code}.`);
  }
  return { profile: active.profile, n };
}

function countsOf(d: Decision): Partial<Record<ApiFault | CallFault, number>> {
  return { ...(d.refuse && { [d.refuse]: 1 }), ...(d.latencyMs !== undefined && { slowed: 1 }) };
}
