import { CallDraft, type DomainContext } from './draft';
import type { Guest } from './guests';
import { hasEnded, type Call, type CallChange, type Owner } from './model';
import { CallRuleViolation } from './rules';

/**
 * The emulator's Teams meetings: people come and go, mute, share a screen, wait in the lobby, and
 * every bot call that joined the meeting sees its roster follow. A meeting is kept apart from its
 * calls (store/meeting-store.ts); each change to it is then mirrored into each call joined to it.
 */

export interface MeetingPerson {
  readonly id: string;
  readonly displayName: string;
  readonly state: 'joined' | 'lobby' | 'left';
  readonly muted?: boolean;
  readonly sharing?: boolean;
}

export interface Meeting {
  readonly id: string;
  /** The app that created it (its emulator routes); any app of the tenant may join. */
  readonly owner: Owner;
  readonly subject: string;
  readonly joinMeetingId: string;
  readonly passcode: string;
  readonly threadId: string;
  readonly token: string;
  readonly organizer: { readonly id: string; readonly displayName: string };
  readonly people: readonly MeetingPerson[];
  /** The bot calls joined to it, by call id. */
  readonly calls: readonly string[];
  readonly createdAt: number;
}

/** A meeting holds at most this many people (they live in one row) and this many bot calls. */
export const MAX_MEETING_PEOPLE = 50;
export const MAX_MEETING_CALLS = 20;

/** How a bot names the meeting it joins (create call with meetingInfo), checked by graph/meeting-info.ts. */
export type MeetingJoin =
  | { readonly kind: 'organizer'; readonly organizerId: string; readonly threadId: string }
  | { readonly kind: 'joinMeetingId'; readonly joinMeetingId: string; readonly passcode?: string }
  | { readonly kind: 'token'; readonly token: string };

export function meetingMatches(meeting: Meeting, join: MeetingJoin): boolean {
  switch (join.kind) {
    case 'organizer':
      return meeting.organizer.id === join.organizerId && meeting.threadId === join.threadId;
    case 'joinMeetingId':
      return meeting.joinMeetingId === join.joinMeetingId && (join.passcode === undefined || join.passcode === meeting.passcode);
    case 'token':
      return meeting.token === join.token;
  }
}

export type PersonAction = 'leave' | 'mute' | 'unmute' | 'startSharing' | 'stopSharing' | 'admit' | 'removeFromLobby';

/** Someone arrives: on the meeting, or in its lobby. */
export function personArrives(meeting: Meeting, person: { id: string; displayName: string; lobby: boolean }): Meeting {
  const present = meeting.people.filter((p) => p.state !== 'left' && p.id !== person.id);
  if (present.length >= MAX_MEETING_PEOPLE) throw new CallRuleViolation('queueFull', `Meeting ${meeting.id} already has ${MAX_MEETING_PEOPLE} people, the limit.`);
  return { ...meeting, people: [...meeting.people.filter((p) => p.id !== person.id), { id: person.id, displayName: person.displayName, state: person.lobby ? 'lobby' : 'joined' }] };
}

/** What a person does (the emulator), or what a bot does to one waiting in the lobby. */
export function personActs(meeting: Meeting, personId: string, action: PersonAction): Meeting {
  const person = meeting.people.find((p) => p.id === personId && p.state !== 'left');
  if (!person) throw new CallRuleViolation('unknownParticipant', `Nobody with id '${personId}' is in meeting ${meeting.id}.`);
  if ((action === 'admit' || action === 'removeFromLobby') && person.state !== 'lobby') throw new CallRuleViolation('notInLobby', `${person.displayName} is not waiting in the lobby.`);
  const changed: MeetingPerson = (() => {
    switch (action) {
      case 'leave':
      case 'removeFromLobby':
        return { id: person.id, displayName: person.displayName, state: 'left' };
      case 'admit':
        return { ...person, state: 'joined' };
      case 'mute':
      case 'unmute':
        return { ...person, muted: action === 'mute' };
      case 'startSharing':
      case 'stopSharing':
        return { ...person, sharing: action === 'startSharing' };
    }
  })();
  return { ...meeting, people: meeting.people.map((p) => (p === person ? changed : p)) };
}

/** The meeting's people as a call's guests (those still there); invitees of the bot's own stay. */
function guestsOf(call: Call, meeting: Meeting): Guest[] {
  const people = meeting.people.flatMap((p): Guest[] =>
    p.state === 'left' ? [] : [{ id: p.id, info: { identity: { user: { id: p.id, displayName: p.displayName } } }, state: p.state, ...(p.muted && { muted: true }), fromMeeting: true }],
  );
  return [...(call.guests ?? []).filter((g) => !g.fromMeeting), ...people];
}

/**
 * A bot's call takes the meeting's roster: its guests and screen shares follow the meeting's; once
 * established, the bot is told with a roster notification. Undefined when nothing changed.
 */
export function mirrorMeeting(call: Call, meeting: Meeting, ctx: DomainContext): CallChange | undefined {
  if (hasEnded(call.state)) return undefined;
  const guests = guestsOf(call, meeting);
  // A person's screen share is a session named by the person's id.
  const sharing = meeting.people.filter((p) => p.sharing && p.state === 'joined').map((p) => p.id);
  if (JSON.stringify(guests) === JSON.stringify(call.guests ?? []) && JSON.stringify(sharing) === JSON.stringify(call.contentSharing ?? [])) return undefined;
  const draft = new CallDraft(call, ctx);
  draft.set({ guests, contentSharing: sharing });
  if (call.state === 'established') draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(undefined);
}
