import type { HttpResponseInit } from '@azure/functions';
import { requireRole } from '../auth/tokens';
import { MEDIA_ACCESS_ROLES } from '../auth/roles';
import { answer, createOutgoingCall, hangUp } from '../calls/lifecycle';
import type { Call } from '../calls/model';
import type { PlatformFaults } from '../calls/platform-faults';
import { decideCallFaults } from '../faults/call-faults';
import { meetingJoinOf } from '../graph/meeting-info';
import { findMeeting, joinMeeting } from '../service/meeting-sync';
import { parseBody, readJsonBody } from '../graph/body';
import { newId } from '../graph/ids';
import { absoluteUrl, resourcePath } from '../graph/paths';
import { callJson, participant } from '../graph/resources';
import { answerSchema, createCallSchema } from '../graph/schemas';
import { commitNewCall } from '../service/commit';
import { admitNewCall } from '../service/quotas';
import { applySelection, callSelection, type Selection } from '../graph/select';
import { checkCallbackUri } from './callback-uri';
import { addressOf, ownerOf, type ApiRequest } from './graph-api';
import { changeOwnedCall, loadOwnedCall } from './owned-calls';
import { metadataContext } from './responses';

const APP_HOSTED = '#microsoft.graph.appHostedMediaConfig';

function callBody(req: ApiRequest, call: Call, selection?: Selection) {
  const collection = call.family === 'communications' ? 'communications/calls' : 'app/calls';
  const selected = selection ? `(${selection.names.join(',')})` : '';
  return applySelection({ '@odata.context': metadataContext(req, `${collection}${selected}/$entity`), ...callJson(call) }, selection);
}

/** The platform failures a fault profile has in store for the call this request places or answers. */
function platformFaultsOf(req: ApiRequest): { platform?: PlatformFaults } {
  const draw = req.faultDraw;
  const platform = draw && decideCallFaults(draw.profile.calls, draw.profile.seed, draw.n);
  return platform ? { platform } : {};
}

/** POST .../calls (route roles: CREATE_CALL_ROLES): 201 + Location + the call, `establishing`. */
export async function createCall(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(createCallSchema, await readJsonBody(req.request, { required: true }), 'create call');
  const appHosted = body.mediaConfig['@odata.type'] === APP_HOSTED;
  // The route needs one of CREATE_CALL_ROLES; per the docs, app-hosted media also needs this one.
  if (appHosted) requireRole(req.app, MEDIA_ACCESS_ROLES);
  const s = req.services;
  const callbackUri = checkCallbackUri(body.callbackUri, s.config.mode);
  const resource: Record<string, unknown> = {
    source: body.source ?? participant('participantInfo', 'application', { id: req.app.appId }),
    targets: body.targets ?? [],
    requestedModalities: body.requestedModalities ?? ['audio'],
    mediaConfig: body.mediaConfig,
    callOptions: body.callOptions ?? null,
    subject: body.subject ?? null,
    tenantId: body.tenantId?.toLowerCase() ?? req.app.tenantId,
    chatInfo: body.chatInfo ?? null,
    meetingInfo: body.meetingInfo ?? null,
    callChainId: body.callChainId?.toLowerCase() ?? newId(),
    myParticipantId: newId(),
  };
  // A meeting is named per meetingInfo's subtype; one the emulator keeps gives the call its roster.
  const join = body.meetingInfo && meetingJoinOf(body.meetingInfo, body.chatInfo);
  const meeting = join && (await findMeeting(s, req.app.tenantId, join));
  await admitNewCall(s, req.app.appId);
  const call = await commitNewCall(s, (ctx) =>
    createOutgoingCall(
      {
        id: newId(),
        owner: ownerOf(req),
        callbackUri,
        family: req.family,
        apiVersion: req.version,
        mediaHosting: appHosted ? 'app' : 'service',
        baseUrl: req.baseUrl,
        resource,
        ...platformFaultsOf(req),
        ...(meeting && { meetingId: meeting.id }),
      },
      ctx,
    ),
  );
  if (meeting) await joinMeeting(s, meeting.id, call.id);
  const location = absoluteUrl(req.baseUrl, req.version, resourcePath(addressOf(req, call.id)));
  return { status: 201, headers: { Location: location }, jsonBody: callBody(req, call) };
}

/** GET .../calls/{id}[?$select=...]: the call, also after it ended (state terminated). */
export async function getCall(req: ApiRequest): Promise<HttpResponseInit> {
  const selection = callSelection(req.request.query.get('$select'), req.version);
  return { status: 200, jsonBody: callBody(req, await loadOwnedCall(req), selection) };
}

/** DELETE .../calls/{id}: hang up. 204, also when the call had already ended (then nothing changes). */
export async function deleteCall(req: ApiRequest): Promise<HttpResponseInit> {
  await changeOwnedCall(req, (call, ctx) => hangUp(call, 'bot', ctx));
  return { status: 204 };
}

/** POST .../calls/{id}/answer on an incoming call: 202, then `establishing` → `established`. */
export async function answerCall(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(answerSchema, await readJsonBody(req.request, { required: true }), 'answer');
  const appHosted = body.mediaConfig['@odata.type'] === APP_HOSTED;
  if (appHosted) requireRole(req.app, MEDIA_ACCESS_ROLES);
  const callbackUri = checkCallbackUri(body.callbackUri, req.services.config.mode);
  const resource = {
    mediaConfig: body.mediaConfig,
    requestedModalities: body.acceptedModalities,
    ...(body.callOptions && { callOptions: body.callOptions }),
  };
  // answer() changes the call or refuses (only an incoming call can be answered).
  await changeOwnedCall(req, (call, ctx) => answer(call, { callbackUri, mediaHosting: appHosted ? 'app' : 'service', resource, ...platformFaultsOf(req) }, ctx));
  return { status: 202 };
}
