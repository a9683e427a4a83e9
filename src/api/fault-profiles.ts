import { randomInt } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { activeProfile, type ActiveProfile } from '../service/active-fault-profile';
import { z } from 'zod';
import { API_FAULTS, CALL_FAULTS, faultProfileSchema, NOTIFICATION_FAULTS, resultInfoSchema, type FaultProfile } from '../faults/profile';
import { endResult } from '../faults/call-faults';
import { CALL_END_PRESET_NAMES } from '../faults/presets';
import { dropCall } from '../calls/platform';
import { mustBe } from '../graph/schemas';
import { changeOwnedCall, loadOwnedCall } from './owned-calls';
import { parseBody, readJsonBody } from '../graph/body';
import { appFaultScope, callFaultScope, emptyFaultRecord } from '../store/fault-profiles';
import { ownerOf, type ApiRequest } from './graph-api';


/**
 * The fault profile routes (local mode only, like the rest of the emulator): an app's profile at
 * /emulator/faults, a call's own at /emulator/calls/{callId}/faults, and what was injected at
 * /emulator/faults/summary. See docs/faults.md.
 */

async function readProfile(req: ApiRequest): Promise<FaultProfile> {
  const input = parseBody(faultProfileSchema, await readJsonBody(req.request, { required: true }), 'fault profile');
  // A profile without a seed gets one, which the answer tells, so the run can be repeated.
  return { ...input, seed: input.seed ?? randomInt(0, 2 ** 32) };
}

function view(active: ActiveProfile | undefined) {
  return active ? { source: active.source, profile: active.profile } : { source: 'none', profile: null };
}

/** PUT /emulator/faults: sets the calling app's profile; its request numbering and fault counts start again. */
export async function putAppFaults(req: ApiRequest): Promise<HttpResponseInit> {
  const profile = await readProfile(req);
  const now = req.services.now();
  await req.services.faults.update(appFaultScope(ownerOf(req)), (current) => ({
    record: { ...emptyFaultRecord(now), profile, ...(current?.callProfiles && { callProfiles: true }) },
    result: undefined,
  }));
  return { status: 200, jsonBody: { source: 'app', profile } };
}

/** GET /emulator/faults: the profile that applies to the calling app's calls (its own, else the FAULT_PROFILE setting's). */
export async function getAppFaults(req: ApiRequest): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: view(await activeProfile(req.services, ownerOf(req))) };
}

/** DELETE /emulator/faults: removes the app's profile (the FAULT_PROFILE setting's applies again, if any); the counts stay. */
export async function deleteAppFaults(req: ApiRequest): Promise<HttpResponseInit> {
  await req.services.faults.update(appFaultScope(ownerOf(req)), (current) => {
    if (!current?.profile) return undefined;
    const { profile: _removed, ...rest } = current;
    return { record: rest, result: undefined };
  });
  return { status: 204 };
}

/** GET /emulator/faults/summary: how many faults of each kind were injected for the app since its profile was set. */
export async function getFaultSummary(req: ApiRequest): Promise<HttpResponseInit> {
  const read = await req.services.faults.get(appFaultScope(ownerOf(req)));
  const counts = read?.record.counts ?? {};
  const all = (kinds: readonly string[]) => Object.fromEntries(kinds.map((k) => [k, counts[k as keyof typeof counts] ?? 0]));
  return {
    status: 200,
    jsonBody: {
      ...(read && { since: new Date(read.record.since).toISOString() }),
      requestsSeen: read?.record.requests ?? 0,
      notifications: all(NOTIFICATION_FAULTS),
      api: all(API_FAULTS),
      calls: all(CALL_FAULTS),
    },
  };
}

/** PUT /emulator/calls/{callId}/faults: a profile for this call only, instead of the app's. */
export async function putCallFaults(req: ApiRequest): Promise<HttpResponseInit> {
  const callId = (await loadOwnedCall(req)).id;
  const profile = await readProfile(req);
  const now = req.services.now();
  // The app's row says that its calls' rows are worth reading (activeProfile).
  await req.services.faults.update(appFaultScope(ownerOf(req)), (current) =>
    current?.callProfiles ? undefined : { record: { ...(current ?? emptyFaultRecord(now)), callProfiles: true }, result: undefined },
  );
  await req.services.faults.update(callFaultScope(callId), () => ({ record: { ...emptyFaultRecord(now), profile, ownerAppId: req.app.appId }, result: undefined }));
  return { status: 200, jsonBody: { source: 'call', profile } };
}

/** GET /emulator/calls/{callId}/faults: the profile that applies to this call, and where it comes from. */
export async function getCallFaults(req: ApiRequest): Promise<HttpResponseInit> {
  const callId = (await loadOwnedCall(req)).id;
  return { status: 200, jsonBody: view(await activeProfile(req.services, ownerOf(req), callId)) };
}

/** DELETE /emulator/calls/{callId}/faults: the call follows the app's profile again. */
export async function deleteCallFaults(req: ApiRequest): Promise<HttpResponseInit> {
  const callId = (await loadOwnedCall(req)).id;
  await req.services.faults.delete(callFaultScope(callId));
  return { status: 204 };
}

const dropSchema = z.strictObject({
  preset: z.enum(CALL_END_PRESET_NAMES, mustBe(`one of ${CALL_END_PRESET_NAMES.map((p) => `'${p}'`).join(', ')}`)).optional(),
  resultInfo: resultInfoSchema.optional(),
});

/**
 * POST /emulator/calls/{callId}/drop {"resultInfo": {"code": 500, "subcode": 1999}} or {"preset":
 * "500/3002"}: the platform drops the call now (preset 500/1999 without either). 200 with the
 * resultInfo the bot is told, and whether the call was still up to drop.
 */
export async function dropCallNow(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(dropSchema, await readJsonBody(req.request, { required: false }), 'drop');
  const resultInfo = endResult(body.preset ?? '500/1999', body.resultInfo);
  const outcome = await changeOwnedCall(req, (call, ctx) => dropCall(call, resultInfo, ctx));
  return { status: 200, jsonBody: { dropped: outcome.kind === 'changed', resultInfo } };
}
