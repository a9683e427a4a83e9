import type { HttpResponseInit } from '@azure/functions';
import type { Call } from '../calls/model';
import { GraphError } from '../graph/errors';
import { parseBody, readJsonBody } from '../graph/body';
import { newId, parseGuid } from '../graph/ids';
import { muteSchema } from '../graph/schemas';
import * as ownPart from '../calls/self-mute';
import { otherParticipantId, participantsJson } from '../graph/resources';
import { type ApiRequest } from './graph-api';
import { changeOwnedCall, loadOwnedCall, operationAction } from './owned-calls';
import { metadataContext } from './responses';

/** Who is on the call now: the bot and the other side; nobody once it has ended. */
function roster(call: Call): Record<string, unknown>[] {
  return call.state === 'terminated' ? [] : participantsJson(call);
}

/** GET .../calls/{id}/participants */
export async function listParticipants(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const collection = req.family === 'communications' ? 'communications/calls' : 'app/calls';
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, `${collection}('${call.id}')/participants`), value: roster(call) } };
}

/** GET .../calls/{id}/participants/{participantId} */
export async function getParticipant(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const raw = req.request.params['participantId'] ?? '';
  const id = parseGuid(raw);
  const found = roster(call).find((p) => p['id'] === id);
  if (!found) throw GraphError.itemNotFound(`Participant '${raw}' of call '${call.id}' was not found.`);
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, '#microsoft.graph.participant'.slice(1)), ...found } };
}

/** DELETE .../calls/{id}/participants/{participantId}: the bot removes another participant; 204. */
export async function removeParticipant(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const raw = req.request.params['participantId'] ?? '';
  const id = parseGuid(raw);
  const place = placeOf(call, id);
  if (place === undefined) throw GraphError.itemNotFound(`Participant '${raw}' of call '${call.id}' was not found.`);
  await changeOwnedCall(req, (current, ctx) => ownPart.removeParticipant(current, place, ctx));
  return { status: 204 };
}

/** POST .../calls/{id}/participants/{participantId}/mute {"clientContext"?}: 200 + Location + a completed muteParticipantOperation. */
export async function muteParticipant(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(muteSchema, await readJsonBody(req.request, { required: false }), 'mute');
  const call = await loadOwnedCall(req);
  const raw = req.request.params['participantId'] ?? '';
  const place = placeOf(call, parseGuid(raw));
  if (place === undefined) throw GraphError.itemNotFound(`Participant '${raw}' of call '${call.id}' was not found.`);
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (current, ctx) => ownPart.muteParticipant(current, place, request, ctx));
}

/** Where a participant id is on the call: the bot, or a place among the others still on it. */
function placeOf(call: Call, id: string | undefined): number | 'bot' | undefined {
  if (!id || call.state === 'terminated') return undefined;
  if (id === participantsJson(call, false)[0]?.['id']) return 'bot';
  const others = call.direction === 'incoming' ? 1 : Array.isArray(call.resource['targets']) ? call.resource['targets'].length : 0;
  for (let i = 0; i < others; i++) if (otherParticipantId(call, i) === id && !call.removedParticipants?.includes(i)) return i;
  return undefined;
}
