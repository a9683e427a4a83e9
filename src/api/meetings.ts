import { randomInt } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { personActs, personArrives, type Meeting, type PersonAction } from '../calls/meetings';
import { CallRuleViolation } from '../calls/rules';
import { parseBody, readJsonBody } from '../graph/body';
import { GraphError } from '../graph/errors';
import { newId, parseGuid } from '../graph/ids';
import { mustBe } from '../graph/schemas';
import { text } from '../graph/text';
import { mirrorToCalls } from '../service/meeting-sync';
import { ownerOf, type ApiRequest } from './graph-api';
import { loadOwnedCall } from './owned-calls';
import { routeParticipant } from './participants';

/**
 * The emulator's meetings (local mode): POST /emulator/meetings creates one with its people, and
 * /emulator/meetings/{id}/people... makes them come, go, mute, share a screen or wait in the lobby.
 * A bot joins with create call and any of the meetingInfo forms the answer lists; every bot call
 * on the meeting follows its roster. See docs/emulator.md, "Meetings".
 */

const personSchema = z.strictObject({
  displayName: text(256),
  id: z.string(mustBe('a GUID')).optional(),
  /** Waits in the lobby until a bot admits it (beta participants/{id}/admitFromLobby). */
  lobby: z.boolean(mustBe('a boolean')).optional(),
});
const meetingSchema = z.strictObject({
  subject: text(1024).optional(),
  organizer: z.strictObject({ displayName: text(256), id: z.string(mustBe('a GUID')).optional() }).optional(),
  people: z.array(personSchema, mustBe('an array of people')).max(50, { error: 'must contain at most 50 people' }).optional(),
});
const actionSchema = z.strictObject({
  action: z.enum(['leave', 'mute', 'unmute', 'startSharing', 'stopSharing'], mustBe("one of 'leave', 'mute', 'unmute', 'startSharing', 'stopSharing'")),
});

const idOf = (raw: string | undefined) => (raw === undefined ? newId() : (parseGuid(raw) ?? raw.toLowerCase()));

/** A meeting as the emulator shows it, with the create-call bodies that join it. */
function view(m: Meeting) {
  const organizer = { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: m.organizer.id, displayName: m.organizer.displayName } };
  return {
    ...m,
    createdAt: new Date(m.createdAt).toISOString(),
    join: {
      joinMeetingId: { meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingId, passcode: m.passcode } },
      organizer: { meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer }, chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: m.threadId, messageId: '0' } },
      token: { meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: m.token } },
    },
  };
}

/** POST /emulator/meetings: 201 + the meeting, its people on it (or in its lobby). */
export async function createMeeting(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(meetingSchema, await readJsonBody(req.request, { required: false }), 'meeting');
  const id = newId();
  let meeting: Meeting = {
    id,
    owner: ownerOf(req),
    subject: body.subject ?? 'Emulated meeting',
    joinMeetingId: String(randomInt(100_000_000_000, 999_999_999_999)),
    passcode: Math.random().toString(36).slice(2, 8),
    threadId: `19:meeting_${id.replaceAll('-', '')}@thread.v2`,
    token: Buffer.from(`meeting:${id}`).toString('base64url'),
    organizer: { id: idOf(body.organizer?.id), displayName: body.organizer?.displayName ?? 'Organizer' },
    people: [],
    calls: [],
    createdAt: req.services.now(),
  };
  for (const p of body.people ?? []) meeting = personArrives(meeting, { id: idOf(p.id), displayName: p.displayName, lobby: p.lobby === true });
  await req.services.meetings.create(meeting);
  return { status: 201, jsonBody: view(meeting) };
}

/** GET /emulator/meetings: the tenant's meetings. */
export async function listMeetings(req: ApiRequest): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: { value: (await req.services.meetings.list(req.app.tenantId)).map(view) } };
}

/** The meeting id in the path; `isTheirs` says whether the caller's tenant may see the meeting. */
function pathMeeting(req: ApiRequest) {
  const raw = req.request.params['meetingId'] ?? '';
  return {
    id: parseGuid(raw) ?? raw,
    isTheirs: (m: Meeting | undefined): m is Meeting => m?.owner.tenantId === req.app.tenantId,
    notFound: () => GraphError.itemNotFound(`Meeting '${raw}' was not found.`),
  };
}

/** GET /emulator/meetings/{meetingId} */
export async function getMeeting(req: ApiRequest): Promise<HttpResponseInit> {
  const path = pathMeeting(req);
  const meeting = await req.services.meetings.get(path.id);
  if (!path.isTheirs(meeting)) throw path.notFound();
  return { status: 200, jsonBody: view(meeting) };
}

async function changeMeeting(req: ApiRequest, meetingId: string, change: (m: Meeting) => Meeting): Promise<Meeting> {
  const meeting = await req.services.meetings.update(meetingId, change);
  if (!meeting) throw GraphError.itemNotFound(`Meeting '${meetingId}' was not found.`);
  await mirrorToCalls(req.services, meeting);
  return meeting;
}

/** Changes the meeting in the path, if it is the caller's tenant's: one read and one write of its row. */
function changePathMeeting(req: ApiRequest, change: (m: Meeting) => Meeting): Promise<Meeting> {
  const path = pathMeeting(req);
  return changeMeeting(req, path.id, (m) => {
    if (!path.isTheirs(m)) throw path.notFound();
    return change(m);
  });
}

/** POST /emulator/meetings/{meetingId}/people {"displayName", "lobby"?}: someone joins, or waits in the lobby. */
export async function personJoins(req: ApiRequest): Promise<HttpResponseInit> {
  const body = parseBody(personSchema, await readJsonBody(req.request, { required: true }), 'person');
  const meeting = await changePathMeeting(req, (m) => personArrives(m, { id: idOf(body.id), displayName: body.displayName, lobby: body.lobby === true }));
  return { status: 200, jsonBody: view(meeting) };
}

/** POST /emulator/meetings/{meetingId}/people/{personId} {"action": "leave" | "mute" | "unmute" | "startSharing" | "stopSharing"} */
export async function personDoes(req: ApiRequest): Promise<HttpResponseInit> {
  const { action } = parseBody(actionSchema, await readJsonBody(req.request, { required: true }), 'person action');
  const personId = idOf(req.request.params['personId']);
  const meeting = await changePathMeeting(req, (m) => {
    // Someone not there is a 404, like an unknown participant of a call.
    if (!m.people.some((p) => p.id === personId && p.state !== 'left')) throw GraphError.itemNotFound(`Nobody with id '${personId}' is in meeting ${m.id}.`);
    return personActs(m, personId, action);
  });
  return { status: 200, jsonBody: view(meeting) };
}

/**
 * beta POST .../participants/{id}/admitFromLobby and removeFromLobby: the bot lets in (or turns
 * away) someone waiting in the lobby of the meeting its call joined. 200, no body; every bot call
 * on the meeting sees the roster change.
 */
export function lobbyAction(action: Extract<PersonAction, 'admit' | 'removeFromLobby'>) {
  return async (req: ApiRequest): Promise<HttpResponseInit> => {
    if (req.version !== 'beta') throw GraphError.noRoute(req.request.method, new URL(req.request.url).pathname);
    const { call, ref, id } = await routeParticipant(req);
    const waiting = typeof ref === 'object' && call.guests?.find((g) => g.id === ref.guestId && g.state === 'lobby' && g.fromMeeting);
    if (!waiting || call.meetingId === undefined) throw new CallRuleViolation('notInLobby', `Participant '${id}' is not waiting in the lobby of call ${call.id}'s meeting.`);
    await changeMeeting(req, call.meetingId, (m) => personActs(m, id, action));
    return { status: 200 };
  };
}

/** beta POST .../participants/admitAllFromLobby: everyone waiting in the lobby of the call's meeting comes in; 200, no body. */
export async function admitAllFromLobby(req: ApiRequest): Promise<HttpResponseInit> {
  if (req.version !== 'beta') throw GraphError.noRoute(req.request.method, new URL(req.request.url).pathname);
  const call = await loadOwnedCall(req);
  if (call.meetingId === undefined) throw new CallRuleViolation('notInLobby', `Call ${call.id} did not join a meeting: nobody waits in a lobby.`);
  await changeMeeting(req, call.meetingId, (m) => m.people.filter((p) => p.state === 'lobby').reduce((next, p) => personActs(next, p.id, 'admit'), m));
  return { status: 200 };
}
