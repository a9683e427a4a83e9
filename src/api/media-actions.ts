import type { HttpResponseInit } from '@azure/functions';
import * as media from '../calls/media';
import type { MediaPrompt, MediaRequest } from '../calls/model';
import { parseBody, readJsonBody } from '../graph/body';
import { newId } from '../graph/ids';
import { cancelMediaProcessingSchema, playPromptSchema, recordResponseSchema, subscribeToToneSchema } from '../graph/schemas';
import type { ApiRequest } from './graph-api';
import { operationAction } from './owned-calls';
import { decidePromptFault } from '../faults/call-faults';

const DEFAULT_RECORD_TIMER_SECONDS = 5;

function prompts(list: readonly { mediaInfo: { uri: string; resourceId?: string | undefined } }[] | undefined): MediaPrompt[] {
  return (list ?? []).map(({ mediaInfo }) => ({ uri: mediaInfo.uri, ...(mediaInfo.resourceId !== undefined && { resourceId: mediaInfo.resourceId }) }));
}

export async function playPrompt(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(playPromptSchema(req.version), await readJsonBody(req.request, { required: true }), 'playPrompt');
  const entry: MediaRequest = {
    id: newId(),
    type: 'playPrompt',
    ...(body.clientContext !== undefined && { clientContext: body.clientContext }),
    parameters: { prompts: prompts(body.prompts), loop: 'loop' in body && body.loop === true },
  };
  const fault = req.faultDraw && decidePromptFault(req.faultDraw.profile.calls, req.faultDraw.profile.seed, req.faultDraw.n);
  return operationAction(req, (call, ctx) => media.enqueueMedia(call, entry, ctx, fault));
}

export async function recordResponse(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(recordResponseSchema(req.version), await readJsonBody(req.request, { required: false }), 'recordResponse');
  const entry: MediaRequest = {
    id: newId(),
    type: 'recordResponse',
    ...(body.clientContext !== undefined && { clientContext: body.clientContext }),
    parameters: {
      prompts: prompts(body.prompts),
      bargeInAllowed: body.bargeInAllowed ?? false,
      initialSilenceTimeoutInSeconds: body.initialSilenceTimeoutInSeconds ?? DEFAULT_RECORD_TIMER_SECONDS,
      maxSilenceTimeoutInSeconds: body.maxSilenceTimeoutInSeconds ?? DEFAULT_RECORD_TIMER_SECONDS,
      maxRecordDurationInSeconds: body.maxRecordDurationInSeconds ?? DEFAULT_RECORD_TIMER_SECONDS,
      playBeep: body.playBeep ?? true,
      stopTones: body.stopTones ?? [],
      streamWhileRecording: 'streamWhileRecording' in body && body.streamWhileRecording === true,
    },
  };
  return operationAction(req, (call, ctx) => media.enqueueMedia(call, entry, ctx));
}

export async function subscribeToTone(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(subscribeToToneSchema, await readJsonBody(req.request, { required: false }), 'subscribeToTone');
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (call, ctx) => media.subscribeToTone(call, request, ctx));
}

export async function cancelMediaProcessing(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(cancelMediaProcessingSchema, await readJsonBody(req.request, { required: false }), 'cancelMediaProcessing');
  const request = { operationId: newId(), all: body.all ?? true, ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (call, ctx) => media.cancelMediaProcessing(call, request, ctx));
}
