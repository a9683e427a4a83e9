import type { MeetingJoin } from '../calls/meetings';
import { GraphError } from './errors';

/**
 * A create-call's meetingInfo (and chatInfo), checked per subtype as the meetingInfo pages describe
 * them: organizerMeetingInfo needs the organizer's identity and the meeting chat's threadId;
 * joinMeetingIdMeetingInfo the meeting id (its passcode optional); tokenMeetingInfo the token.
 */
const SUBTYPES = ['organizerMeetingInfo', 'joinMeetingIdMeetingInfo', 'tokenMeetingInfo'] as const;

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

export function meetingJoinOf(meetingInfo: Json, chatInfo: Json | undefined): MeetingJoin {
  const type = String(meetingInfo['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  const bad = (field: string, what: string) => GraphError.badRequest(`'meetingInfo.${field}' ${what}.`);
  switch (type as (typeof SUBTYPES)[number]) {
    case 'organizerMeetingInfo': {
      const organizer = meetingInfo['organizer'];
      const user = isObject(organizer) && isObject(organizer['user']) ? organizer['user'] : undefined;
      const organizerId = text(user?.['id'], 128);
      if (!organizerId) throw bad('organizer.user.id', 'is required: the organizer’s identity (an identitySet with a user)');
      const threadId = text(chatInfo?.['threadId'], 512);
      if (!threadId) throw GraphError.badRequest("'chatInfo.threadId' is required to join with organizerMeetingInfo: the meeting chat's thread id.");
      return { kind: 'organizer', organizerId: organizerId.toLowerCase(), threadId };
    }
    case 'joinMeetingIdMeetingInfo': {
      const joinMeetingId = text(meetingInfo['joinMeetingId'], 64);
      if (!joinMeetingId) throw bad('joinMeetingId', 'is required: the meeting id people dial in with');
      const passcode = meetingInfo['passcode'];
      if (passcode != null && text(passcode, 64) === undefined) throw bad('passcode', 'must be a string of 1 to 64 characters');
      return { kind: 'joinMeetingId', joinMeetingId: joinMeetingId.replace(/\s/g, ''), ...(typeof passcode === 'string' && { passcode }) };
    }
    case 'tokenMeetingInfo': {
      const token = text(meetingInfo['token'], 4096);
      if (!token) throw bad('token', 'is required');
      return { kind: 'token', token };
    }
    default:
      throw bad('@odata.type', `must be one of ${SUBTYPES.map((s) => `'#microsoft.graph.${s}'`).join(', ')}`);
  }
}
