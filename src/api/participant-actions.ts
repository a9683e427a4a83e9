import type { HttpResponseInit } from '@azure/functions';
import * as hold from '../calls/hold-music';
import { muteAll } from '../calls/self-mute';
import type { Operation } from '../calls/model';
import type { CommitOutcome } from '../service/commit';
import { invite, type Invitee } from '../calls/invitations';
import { parseBody, readJsonBody } from '../graph/body';
import { newId, parseGuid } from '../graph/ids';
import { inviteSchema, muteAllSchema, startHoldMusicSchema, stopHoldMusicSchema } from '../graph/participant-schemas';
import type { ApiRequest } from './graph-api';
import { changeOwnedCall, operationAction } from './owned-calls';
import { onParticipant } from './participants';
import { actionResponse } from './responses';

/**
 * POST .../participants/invite {"participants": [invitationParticipantInfo], "clientContext"?}: 200 +
 * Location + an inviteParticipantsOperation `running`; each invitee rings, then joins (or not) as
 * the emulator says, and the operation's end comes as a notification.
 */
export async function inviteParticipants(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(inviteSchema, await readJsonBody(req.request, { required: true }), 'invite');
  const invitees: Invitee[] = body.participants.map((p) => {
    const { identity, endpointType, participantId, replacesCallId } = p as Record<string, unknown>;
    return {
      id: (typeof participantId === 'string' && parseGuid(participantId)) || newId(),
      info: { identity, ...(endpointType !== undefined && { endpointType }) },
      ...(typeof replacesCallId === 'string' && { replacesCallId: parseGuid(replacesCallId) ?? replacesCallId }),
    };
  });
  const request = { operationId: newId(), invitees, parameters: body.participants, ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (call, ctx) => invite(call, request, ctx));
}

/** POST .../participants/{id}/startHoldMusic: 202 + Location + a startHoldMusicOperation `running`; its end follows as a notification. */
export async function startHoldMusic(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(startHoldMusicSchema, await readJsonBody(req.request, { required: false }), 'startHoldMusic');
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return accepted(req, await changeOwnedCall(req, onParticipant(req, (call, ref, id, ctx) => hold.startHoldMusic(call, { ...request, participantId: ref === 'bot' ? 'bot' : id }, ctx))));
}

/** POST .../participants/{id}/stopHoldMusic: 202 + Location + a stopHoldMusicOperation; the participant is back in the mix. */
export async function stopHoldMusic(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(stopHoldMusicSchema, await readJsonBody(req.request, { required: false }), 'stopHoldMusic');
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return accepted(req, await changeOwnedCall(req, onParticipant(req, (call, ref, id, ctx) => hold.stopHoldMusic(call, { ...request, participantId: ref === 'bot' ? 'bot' : id }, ctx))));
}

/** Hold music is answered 202 (with the operation), where the other participant actions answer 200. */
function accepted(req: ApiRequest, outcome: CommitOutcome<Operation>): HttpResponseInit {
  if (outcome.kind !== 'changed') throw new Error('A hold music action decided to change nothing.');
  return { ...actionResponse(req, outcome.change.result), status: 202 };
}

/** beta POST .../participants/muteAll: 200 + Location + a completed muteParticipantsOperation; everyone but the bot is muted. */
export async function muteAllParticipants(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(muteAllSchema, await readJsonBody(req.request, { required: false }), 'muteAll');
  const request = { operationId: newId(), ...(body.clientContext !== undefined && { clientContext: body.clientContext }) };
  return operationAction(req, (call, ctx) => muteAll(call, request, ctx));
}
