import type { HttpResponseInit } from '@azure/functions';
import * as routing from '../calls/audio-routing';
import { parseBody, readJsonBody } from '../graph/body';
import { GraphError } from '../graph/errors';
import { newId } from '../graph/ids';
import { audioRoutingGroupPatchSchema, audioRoutingGroupSchema, deviceQualitySchema } from '../graph/participant-schemas';
import { participantsJson } from '../graph/resources';
import { absoluteUrl, resourcePath } from '../graph/paths';
import type { Call } from '../calls/model';
import { addressOf, type ApiRequest } from './graph-api';
import { changeOwnedCall, loadOwnedCall } from './owned-calls';
import { metadataContext } from './responses';
import type { DeviceQualityView } from './console-views';

/**
 * What a call has beside its operations and participants: its screen-sharing sessions, its audio
 * routing groups (app-hosted media), and the device-quality reports of teleconference devices.
 */

const collection = (req: ApiRequest) => (req.family === 'communications' ? 'communications/calls' : 'app/calls');

function sessionJson(id: string) {
  return { '@odata.type': '#microsoft.graph.contentSharingSession', id };
}

/** GET .../calls/{id}/contentSharingSessions: the screens shared on the call now. */
export async function listContentSharingSessions(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const value = call.state === 'terminated' ? [] : (call.contentSharing ?? []).map(sessionJson);
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, `${collection(req)}('${call.id}')/contentSharingSessions`), value } };
}

/** GET .../calls/{id}/contentSharingSessions/{sessionId} */
export async function getContentSharingSession(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const id = (req.request.params['sessionId'] ?? '').toLowerCase();
  if (call.state === 'terminated' || !(call.contentSharing ?? []).includes(id)) throw GraphError.itemNotFound(`Content sharing session '${id}' of call '${call.id}' was not found.`);
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, `${collection(req)}('${call.id}')/contentSharingSessions/$entity`), ...sessionJson(id) } };
}

function groupJson(req: ApiRequest, call: Call, group: routing.AudioRoutingGroup) {
  return { '@odata.context': metadataContext(req, `${collection(req)}('${call.id}')/audioRoutingGroups/$entity`), '@odata.type': '#microsoft.graph.audioRoutingGroup', ...group };
}

const participantIdsOf = (call: Call) => new Set(participantsJson(call).map((p) => String(p['id'])));

/** POST .../calls/{id}/audioRoutingGroups: 201 + Location + the group. */
export async function createAudioRoutingGroup(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(audioRoutingGroupSchema, await readJsonBody(req.request, { required: true }), 'audioRoutingGroup');
  const group = { id: body.id ?? newId(), routingMode: body.routingMode, sources: body.sources, receivers: body.receivers };
  const outcome = await changeOwnedCall(req, (call, ctx) => routing.putAudioRoutingGroup(call, group, participantIdsOf(call), ctx));
  const call = outcome.kind === 'changed' ? outcome.change.call : outcome.call;
  const location = `${absoluteUrl(req.baseUrl, req.version, resourcePath(addressOf(req, call.id)))}/audioRoutingGroups/${group.id}`;
  return { status: 201, headers: { Location: location }, jsonBody: groupJson(req, call, group) };
}

/** GET .../calls/{id}/audioRoutingGroups */
export async function listAudioRoutingGroups(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const value = routing.audioRoutingGroupsOf(call).map((g) => ({ '@odata.type': '#microsoft.graph.audioRoutingGroup', ...g }));
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, `${collection(req)}('${call.id}')/audioRoutingGroups`), value } };
}

function routeGroup(req: ApiRequest, call: Call): routing.AudioRoutingGroup {
  const id = req.request.params['groupId'] ?? '';
  const group = routing.audioRoutingGroupsOf(call).find((g) => g.id === id);
  if (!group) throw GraphError.itemNotFound(`Audio routing group '${id}' of call '${call.id}' was not found.`);
  return group;
}

/** GET .../calls/{id}/audioRoutingGroups/{groupId} */
export async function getAudioRoutingGroup(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  return { status: 200, jsonBody: groupJson(req, call, routeGroup(req, call)) };
}

/** PATCH .../calls/{id}/audioRoutingGroups/{groupId}: the members given replace the group's; 200 + the group. */
export async function updateAudioRoutingGroup(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(audioRoutingGroupPatchSchema, await readJsonBody(req.request, { required: true }), 'audioRoutingGroup');
  // The group is merged inside the decision, on the call as committed, not on an earlier read of it.
  const outcome = await changeOwnedCall(req, (call, ctx) => {
    const current = routeGroup(req, call);
    if (body.id !== undefined && body.id !== current.id) throw GraphError.badRequest(`'id' cannot change: the group is '${current.id}'.`);
    const group = { ...current, ...(body.routingMode && { routingMode: body.routingMode }), ...(body.sources && { sources: body.sources }), ...(body.receivers && { receivers: body.receivers }) };
    return routing.putAudioRoutingGroup(call, group, participantIdsOf(call), ctx);
  });
  const call = outcome.kind === 'changed' ? outcome.change.call : outcome.call;
  return { status: 200, jsonBody: groupJson(req, call, routeGroup(req, call)) };
}

/** DELETE .../calls/{id}/audioRoutingGroups/{groupId}: 204; 404 for a group the call does not have. */
export async function deleteAudioRoutingGroup(req: ApiRequest): Promise<HttpResponseInit> {
  await changeOwnedCall(req, (call, ctx) => routing.deleteAudioRoutingGroup(call, routeGroup(req, call).id, ctx));
  return { status: 204 };
}

/** At most this many device-quality reports are kept per process, oldest dropped first. */
export const DEVICE_QUALITY_KEPT = 100;

/**
 * POST /communications/calls/logTeleconferenceDeviceQuality {"quality": teleconferenceDeviceQuality}:
 * validated and kept (in this process, for the console at GET /emulator/deviceQuality); 200, no body.
 */
export async function logTeleconferenceDeviceQuality(req: ApiRequest): Promise<HttpResponseInit> {
  const { quality } = parseBody(deviceQualitySchema, await readJsonBody(req.request, { required: true }), 'logTeleconferenceDeviceQuality');
  const kept = req.services.deviceQuality;
  kept.push({ appId: req.app.appId, at: req.services.now(), quality });
  if (kept.length > DEVICE_QUALITY_KEPT) kept.splice(0, kept.length - DEVICE_QUALITY_KEPT);
  return { status: 200 };
}

/** GET /emulator/deviceQuality: the calling app's reports this process kept, newest first. */
export async function listDeviceQuality(req: ApiRequest): Promise<HttpResponseInit> {
  const value: DeviceQualityView[] = req.services.deviceQuality.filter((r) => r.appId === req.app.appId).reverse().map((r) => ({ at: new Date(r.at).toISOString(), quality: r.quality }));
  return { status: 200, jsonBody: { value } };
}
