import type { HttpResponseInit } from '@azure/functions';
import * as control from '../calls/call-control';
import { hasEnded } from '../calls/model';
import { parseBody, readJsonBody } from '../graph/body';
import { newId } from '../graph/ids';
import { addLargeGalleryViewSchema, changeScreenSharingRoleSchema, muteSchema, rejectSchema, redirectSchema, sendDtmfTonesSchema, transferSchema, updateRecordingStatusSchema } from '../graph/schemas';
import * as ownPart from '../calls/self-mute';
import type { Decide } from '../service/commit';
import { checkCallbackUri } from './callback-uri';
import { type ApiRequest } from './graph-api';
import { callNotFound, changeOwnedCall } from './owned-calls';
import { operationAction } from './owned-calls';

/** reject, redirect, transfer: 202 Accepted and no body, as the docs answer them; what follows comes as notifications. */
async function accepted<R>(req: ApiRequest, decide: Decide<R>): Promise<HttpResponseInit> {
  await changeOwnedCall(req, decide);
  return { status: 202 };
}

function optionalCallbackUri(req: ApiRequest, value: string | undefined): { callbackUri?: string } {
  return value === undefined ? {} : { callbackUri: checkCallbackUri(value, req.services.config.mode) };
}

/** POST .../calls/{id}/reject {"reason": "none" | "busy" | "forbidden"} on an incoming call. */
export async function rejectCall(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(rejectSchema, await readJsonBody(req.request, { required: false }), 'reject');
  const request = { reason: body.reason ?? 'none', ...optionalCallbackUri(req, body.callbackUri) };
  return accepted(req, (call, ctx) => control.reject(call, request, ctx));
}

/** POST .../calls/{id}/redirect {"targets": [...], "timeout": 15..90} on an incoming call. */
export async function redirectCall(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(redirectSchema, await readJsonBody(req.request, { required: true }), 'redirect');
  const request = optionalCallbackUri(req, body.callbackUri);
  return accepted(req, (call, ctx) => control.redirect(call, request, ctx));
}

/** POST .../calls/{id}/transfer {"transferTarget": {...}, "transferee"?: {...}} on an established call. */
export async function transferCall(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(transferSchema, await readJsonBody(req.request, { required: true }), 'transfer');
  const request = { target: body.transferTarget, ...(body.transferee !== undefined && { transferee: body.transferee }) };
  return accepted(req, (call, ctx) => control.transfer(call, request, ctx));
}

/** POST .../calls/{id}/keepAlive: 200 and no body; 404 once the call has ended, as the docs say. */
export async function keepAlive(req: ApiRequest): Promise<HttpResponseInit> {
  const outcome = await changeOwnedCall(req, (call, ctx) => control.keepAlive(call, ctx));
  if (outcome.kind === 'unchanged' && hasEnded(outcome.call.state)) throw callNotFound(outcome.call.id);
  return { status: 200 };
}

/** POST .../calls/{id}/sendDtmfTones {"tones": [...], "delayBetweenTonesMs"?, "clientContext"?}. */
export async function sendDtmfTones(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(sendDtmfTonesSchema, await readJsonBody(req.request, { required: true }), 'sendDtmfTones');
  const request = {
    operationId: newId(),
    tones: body.tones,
    delayBetweenTonesMs: body.delayBetweenTonesMs ?? 0,
    ...(body.clientContext !== undefined && { clientContext: body.clientContext }),
  };
  return operationAction(req, (call, ctx) => control.sendDtmfTones(call, request, ctx));
}

/** POST .../calls/{id}/updateRecordingStatus {"status": "recording" | "notRecording" | "failed", "clientContext"?}. */
export async function updateRecordingStatus(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(updateRecordingStatusSchema, await readJsonBody(req.request, { required: true }), 'updateRecordingStatus');
  const request = { operationId: newId(), status: body.status, ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (call, ctx) => control.updateRecordingStatus(call, request, ctx));
}

/** POST .../calls/{id}/mute and .../unmute {"clientContext"?}: the bot mutes or unmutes itself. */
export function selfMute(muted: boolean) {
  return async (req: ApiRequest): Promise<HttpResponseInit> => {
    const body = parseBody(muteSchema, await readJsonBody(req.request, { required: false }), muted ? 'mute' : 'unmute');
    const request = { operationId: newId(), muted, ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
    return operationAction(req, (call, ctx) => ownPart.setBotMuted(call, request, ctx));
  };
}

/** POST .../calls/{id}/changeScreenSharingRole {"role": "viewer" | "sharer"}: 200, no body. */
export async function changeScreenSharingRole(req: ApiRequest): Promise<HttpResponseInit> {
  const { role } = parseBody(changeScreenSharingRoleSchema, await readJsonBody(req.request, { required: true }), 'changeScreenSharingRole');
  await changeOwnedCall(req, (call, ctx) => ownPart.changeScreenSharingRole(call, role, ctx));
  return { status: 200 };
}

/** POST .../calls/{id}/addLargeGalleryView {"clientContext"?}: 200 + Location + a completed addLargeGalleryViewOperation. */
export async function addLargeGalleryView(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(addLargeGalleryViewSchema, await readJsonBody(req.request, { required: false }), 'addLargeGalleryView');
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (call, ctx) => ownPart.addLargeGalleryView(call, request, ctx));
}
