import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { addressOf, ownerOf, type ApiRequest } from './graph-api';
import { changeOwnedCall } from './owned-calls';
import { checkCallbackUri } from './callback-uri';
import * as caller from '../calls/caller';
import { chooseTransferFate } from '../calls/call-control';
import { chooseInviteFate } from '../calls/invitations';
import { hangUp, receiveIncomingCall } from '../calls/lifecycle';
import type { Tone } from '../calls/model';
import { parseBody, readJsonBody } from '../graph/body';
import { newId } from '../graph/ids';
import { absoluteUrl, resourcePath } from '../graph/paths';
import { callJson, participant } from '../graph/resources';
import { mustBe, TONES } from '../graph/schemas';
import { commitNewCall } from '../service/commit';
import { text } from '../graph/text';

/**
 * The emulator's routes (local mode only): what the caller, the person on the other end of a call,
 * does, so a bot's IVR flow can be tested end to end. Same bearer tokens as the Graph routes; a
 * call is driven only by the app that owns it.
 */

const TONE_NAMES = new Set<string>(TONES);

function toTone(text: string): Tone | undefined {
  return caller.DTMF[text.toUpperCase()] ?? (TONE_NAMES.has(text.toLowerCase()) ? (text.toLowerCase() as Tone) : undefined);
}

const tonesSchema = z.strictObject({
  tones: z
    .array(z.string().refine((t) => toTone(t) !== undefined, "must be a DTMF character (0-9, *, #, A-D) or a tone name (tone0-tone9, star, pound, a-d, flash)"), mustBe('an array of tones'))
    .min(1, { error: 'must contain at least 1 tone' })
    .max(64, { error: 'must contain at most 64 tones' }),
});
const speechSchema = z.strictObject({
  seconds: z.number(mustBe('a number of seconds')).positive({ error: 'must be more than 0' }).max(600, { error: 'must be at most 600' }),
});
const incomingSchema = z.strictObject({
  callbackUri: text(2048),
  source: z.record(z.string(), z.unknown()).optional(),
  targets: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
  subject: text(1024).optional(),
});

/** POST /emulator/calls/{callId}/tones {"tones": ["1", "#"]}: the caller presses keys, in order. */
export async function pressTones(req: ApiRequest): Promise<HttpResponseInit> {
  const { tones } = parseBody(tonesSchema, await readJsonBody(req.request, { required: true }), 'tones');
  const pressed = tones.map((text) => toTone(text) as Tone);
  // One decision for all the keys: one transaction, the tones in order.
  const outcome = await changeOwnedCall(req, (call, ctx) => caller.pressTones(call, pressed, ctx));
  // sequenceIds: the toneInfo numbers the bot will see (none without a tone subscription).
  return { status: 200, jsonBody: { pressed, sequenceIds: outcome.kind === 'changed' ? outcome.change.result : [] } };
}

/** POST /emulator/calls/{callId}/speech {"seconds": 3}: the caller talks; a running recording hears it. */
export async function speakFor(req: ApiRequest): Promise<HttpResponseInit> {
  const { seconds } = parseBody(speechSchema, await readJsonBody(req.request, { required: true }), 'speech');
  const outcome = await changeOwnedCall(req, (call, ctx) => caller.speak(call, seconds, ctx));
  return { status: 200, jsonBody: { heardByRecording: outcome.kind === 'changed' && outcome.change.result.heard } };
}

const transferTargetSchema = z.strictObject({
  action: z.enum(['accept', 'decline', 'noAnswer'], mustBe("one of 'accept', 'decline', 'noAnswer'")),
});

/**
 * POST /emulator/calls/{callId}/transferTarget {"action": "accept" | "decline" | "noAnswer"}: what
 * the transfer target does. During a transfer it happens now (`noAnswer`: the transfer rings until
 * TRANSFER_TIMEOUT_MS); before one, it is what the target will do with the next transfer.
 */
export async function answerTransfer(req: ApiRequest): Promise<HttpResponseInit> {
  const { action } = parseBody(transferTargetSchema, await readJsonBody(req.request, { required: true }), 'transferTarget');
  const outcome = await changeOwnedCall(req, (call, ctx) => chooseTransferFate(call, action, ctx));
  return { status: 200, jsonBody: { action, appliedNow: outcome.kind === 'changed' && outcome.change.result.appliedNow } };
}

/**
 * POST /emulator/calls/{callId}/invitee {"action": "accept" | "decline" | "noAnswer"}: what the
 * invitees of participants/invite do. With invitations ringing it happens now; before, it is what
 * the next invitees will do (default: they join after TARGET_ANSWER_MS).
 */
export async function answerInvitation(req: ApiRequest): Promise<HttpResponseInit> {
  const { action } = parseBody(transferTargetSchema, await readJsonBody(req.request, { required: true }), 'invitee');
  const outcome = await changeOwnedCall(req, (call, ctx) => chooseInviteFate(call, action, ctx));
  return { status: 200, jsonBody: { action, appliedNow: outcome.kind === 'changed' && outcome.change.result.appliedNow } };
}

const screenShareSchema = z.strictObject({ sharing: z.boolean(mustBe('a boolean')) });

/** POST /emulator/calls/{callId}/screenShare {"sharing": true}: the other side shares a screen (a contentSharingSession), or stops. */
export async function shareScreen(req: ApiRequest): Promise<HttpResponseInit> {
  const { sharing } = parseBody(screenShareSchema, await readJsonBody(req.request, { required: true }), 'screenShare');
  const outcome = await changeOwnedCall(req, (call, ctx) => caller.shareScreen(call, sharing, ctx));
  const call = outcome.kind === 'changed' ? outcome.change.call : outcome.call;
  return { status: 200, jsonBody: { sharing, sessions: call.contentSharing ?? [] } };
}

/** POST /emulator/calls/{callId}/hangUp: the caller hangs up (terminated with 200 / 4097). */
export async function callerHangsUp(req: ApiRequest): Promise<HttpResponseInit> {
  // Hanging up a call that has ended changes nothing, and is still a 204.
  await changeOwnedCall(req, (call, ctx) => hangUp(call, 'caller', ctx));
  return { status: 204 };
}

/**
 * POST /emulator/incomingCalls {"callbackUri": ...}: someone calls the bot (the calling app). The
 * bot gets a `created` notification with the call in state `incoming` and answers with
 * POST /communications/calls/{id}/answer within ANSWER_TIMEOUT_MS, or the call ends.
 */
export async function ringBot(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(incomingSchema, await readJsonBody(req.request, { required: true }), 'incoming call');
  const callbackUri = checkCallbackUri(body.callbackUri, req.services.config.mode);
  const resource = {
    source: body.source ?? participant('participantInfo', 'user', { id: newId(), displayName: 'Simulated caller' }),
    targets: body.targets ?? [participant('invitationParticipantInfo', 'application', { id: req.app.appId })],
    requestedModalities: ['audio'],
    subject: body.subject ?? null,
    tenantId: req.app.tenantId,
    callChainId: newId(),
    myParticipantId: newId(),
  };
  const call = await commitNewCall(req.services, (ctx) =>
    receiveIncomingCall(
      { id: newId(), owner: ownerOf(req), callbackUri, family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: req.baseUrl, resource },
      ctx,
    ),
  );
  const location = absoluteUrl(req.baseUrl, 'v1.0', resourcePath(addressOf({ ...req, family: 'communications' }, call.id)));
  return { status: 201, headers: { Location: location }, jsonBody: callJson(call) };
}
