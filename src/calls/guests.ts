import type { Call } from './model';

/**
 * Participants who came after the call was placed: invitees (participants/invite) and, for a call
 * that joined a meeting, the meeting's people. The call's first parties (its targets, or the
 * caller) keep their places; guests carry their own participant ids.
 */

/** What an invitee (played by the emulator) does with an invitation: join, decline, or let it ring out. */
export type InviteFate = 'accept' | 'decline' | 'noAnswer';

export interface Invitation {
  /** The inviteParticipantsOperation that asked for it. */
  readonly operationId: string;
  readonly clientContext?: string;
  /** When the invitee answers (or the invitation times out), and how. */
  readonly answerAt: number;
  readonly fate: InviteFate;
  /** Consultative transfer: the bot's call the invitee is on now, which ends once it has joined this one. */
  readonly replacesCallId?: string;
}

export interface Guest {
  readonly id: string;
  /** The participantInfo Graph shows (identity, endpointType...). */
  readonly info: Readonly<Record<string, unknown>>;
  /** Ringing (invited), on the call (joined), or waiting in a meeting's lobby. */
  readonly state: 'invited' | 'joined' | 'lobby';
  readonly muted?: boolean;
  readonly invitation?: Invitation;
  /** One of the meeting's people (meetings.ts), mirrored from the meeting rather than invited by the bot. */
  readonly fromMeeting?: boolean;
}

/**
 * The call's first parties, the others it was placed with (its targets) or the caller of an
 * incoming call, by place; removed ones keep their place.
 */
export function firstParties(call: Pick<Call, 'direction' | 'resource'>): readonly unknown[] {
  const targets = call.resource['targets'];
  return call.direction === 'incoming' ? [call.resource['source']] : Array.isArray(targets) ? targets : [];
}

/** A participant of a call as the bot names it: itself, a first party by place, or a guest by id. */
export type ParticipantRef = 'bot' | number | { readonly guestId: string };

/** When the first pending invitation is due to be answered. */
export function nextInvitationAt(guests: readonly Guest[] | undefined): number | undefined {
  const due = (guests ?? []).flatMap((g) => (g.state === 'invited' && g.invitation ? [g.invitation.answerAt] : []));
  return due.length > 0 ? Math.min(...due) : undefined;
}

/** An inviteParticipantsOperation's parameters: the invitationParticipantInfo list as the bot sent it. */
export interface InviteParameters {
  readonly participants: readonly Readonly<Record<string, unknown>>[];
}
