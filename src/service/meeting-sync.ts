import { MAX_MEETING_CALLS, meetingMatches, mirrorMeeting, type Meeting, type MeetingJoin } from '../calls/meetings';
import { CallRuleViolation } from '../calls/rules';
import { commitChange } from './commit';
import type { Services } from './services';

/**
 * Keeps the bot calls joined to an emulator meeting in step with it: after every change to the
 * meeting, each call takes the meeting's roster (a change of its own, with a roster notification to
 * its bot). Calls that have ended are dropped from the meeting as they are found.
 */
export async function mirrorToCalls(s: Services, meeting: Meeting): Promise<void> {
  const ended: string[] = [];
  for (const callId of meeting.calls) {
    const outcome = await commitChange(s, callId, (call, ctx) => mirrorMeeting(call, meeting, ctx));
    if (outcome.kind === 'notFound' || (outcome.kind === 'unchanged' && outcome.call.state === 'terminated')) ended.push(callId);
  }
  if (ended.length > 0) await s.meetings.update(meeting.id, (m) => ({ ...m, calls: m.calls.filter((id) => !ended.includes(id)) }));
}

/** The tenant's emulator meeting a create-call's meetingInfo names, if there is one (local mode only). */
export async function findMeeting(s: Services, tenantId: string, join: MeetingJoin): Promise<Meeting | undefined> {
  if (s.config.mode !== 'local') return undefined;
  return (await s.meetings.list(tenantId)).find((m) => meetingMatches(m, join));
}

/** A bot's new call joins the meeting: listed on it, then given its roster. */
export async function joinMeeting(s: Services, meetingId: string, callId: string): Promise<void> {
  const meeting = await s.meetings.update(meetingId, (m) => {
    if (m.calls.length >= MAX_MEETING_CALLS) throw new CallRuleViolation('queueFull', `Meeting ${m.id} already has ${MAX_MEETING_CALLS} bot calls, the limit.`);
    return { ...m, calls: [...m.calls.filter((id) => id !== callId), callId] };
  });
  if (meeting) await commitChange(s, callId, (call, ctx) => mirrorMeeting(call, meeting, ctx));
}
