import type { HttpResponseInit } from '@azure/functions';
import type { Call, CallChange } from '../calls/model';
import type { DomainContext } from '../calls/draft';
import type { Decide } from '../service/commit';
import { firstParties, type ParticipantRef } from '../calls/guests';
import { GraphError } from '../graph/errors';
import { parseBody, readJsonBody } from '../graph/body';
import { newId, parseGuid } from '../graph/ids';
import { muteSchema } from '../graph/schemas';
import * as ownPart from '../calls/self-mute';
import { otherParticipantId, participantsJson } from '../graph/resources';
import { type ApiRequest } from './graph-api';
import { changeOwnedCall, loadOwnedCall, operationAction } from './owned-calls';
import { metadataContext } from './responses';

/** Who is on the call now: the bot, the other side and the guests; nobody once it has ended. */
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

/**
 * DELETE .../calls/{id}/participants/{participantId}: the bot removes another participant, or
 * cancels the invitation of one still ringing; 204.
 */
export async function removeParticipant(req: ApiRequest): Promise<HttpResponseInit> {
  await changeOwnedCall(req, onParticipant(req, (call, ref, id, ctx) => ownPart.removeParticipant(call, ref, id, ctx)));
  return { status: 204 };
}

/** POST .../calls/{id}/participants/{participantId}/mute {"clientContext"?}: 200 + Location + a completed muteParticipantOperation. */
export async function muteParticipant(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(muteSchema, await readJsonBody(req.request, { required: false }), 'mute');
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, onParticipant(req, (call, ref, _id, ctx) => ownPart.muteParticipant(call, ref, request, ctx)));
}

/** The route's participant on the route's call: a 404 naming it when the call has no such participant. */
export async function routeParticipant(req: ApiRequest): Promise<{ call: Call; ref: ParticipantRef; id: string }> {
  const call = await loadOwnedCall(req);
  return { call, ...participantOf(req, call) };
}

/**
 * A decision about the route's participant, which finds it on the call being changed: no read
 * before the change, and no decision on a participant an earlier read saw. A 404 names it when
 * the call has no such participant.
 */
export function onParticipant<R>(req: ApiRequest, decide: (call: Call, ref: ParticipantRef, id: string, ctx: DomainContext) => CallChange<R> | undefined): Decide<R> {
  return (call, ctx) => {
    const { ref, id } = participantOf(req, call);
    return decide(call, ref, id, ctx);
  };
}

function participantOf(req: ApiRequest, call: Call): { ref: ParticipantRef; id: string } {
  const raw = req.request.params['participantId'] ?? '';
  const id = parseGuid(raw);
  const ref = refOf(call, id);
  if (ref === undefined || id === undefined) throw GraphError.itemNotFound(`Participant '${raw}' of call '${call.id}' was not found.`);
  return { ref, id };
}

/** Where a participant id is on the call: the bot, a place among its first parties still on it, or a guest. */
function refOf(call: Call, id: string | undefined): ParticipantRef | undefined {
  if (!id || call.state === 'terminated') return undefined;
  if (id === participantsJson(call, false)[0]?.['id']) return 'bot';
  for (let i = 0; i < firstParties(call).length; i++) if (otherParticipantId(call, i) === id && !call.removedParticipants?.includes(i)) return i;
  return call.guests?.some((g) => g.id === id) ? { guestId: id } : undefined;
}
