import { describe, expect, it } from 'vitest';
import { meetingMatches, mirrorMeeting, personActs, personArrives, type Meeting } from '../../../src/calls/meetings';
import { CallRuleViolation } from '../../../src/calls/rules';
import { context, establishedCall, newCall } from './fixtures';

const meeting: Meeting = {
  id: 'm1',
  owner: { tenantId: 't', appId: 'a' },
  subject: 'Standup',
  joinMeetingId: '123456789012',
  passcode: 'abc',
  threadId: '19:meeting_m1@thread.v2',
  token: 'tok',
  organizer: { id: 'org', displayName: 'Olga' },
  people: [{ id: 'ana', displayName: 'Ana', state: 'joined' }],
  calls: ['call-1'],
  createdAt: 0,
};

describe('emulator meetings', () => {
  it('are found by any of the three meetingInfo forms, and only by the right one', () => {
    expect(meetingMatches(meeting, { kind: 'joinMeetingId', joinMeetingId: '123456789012', passcode: 'abc' })).toBe(true);
    expect(meetingMatches(meeting, { kind: 'joinMeetingId', joinMeetingId: '123456789012', passcode: 'nope' })).toBe(false);
    expect(meetingMatches(meeting, { kind: 'organizer', organizerId: 'org', threadId: '19:meeting_m1@thread.v2' })).toBe(true);
    expect(meetingMatches(meeting, { kind: 'organizer', organizerId: 'org', threadId: 'other' })).toBe(false);
    expect(meetingMatches(meeting, { kind: 'token', token: 'tok' })).toBe(true);
  });

  it('let people arrive (or wait in the lobby), mute, share and leave; only someone in the lobby can be admitted', () => {
    const withBen = personArrives(meeting, { id: 'ben', displayName: 'Ben', lobby: true });
    expect(withBen.people.map((p) => `${p.id}:${p.state}`)).toEqual(['ana:joined', 'ben:lobby']);
    const admitted = personActs(withBen, 'ben', 'admit');
    expect(admitted.people[1]?.state).toBe('joined');
    expect(() => personActs(admitted, 'ben', 'admit')).toThrow(CallRuleViolation);
    expect(personActs(admitted, 'ana', 'mute').people[0]?.muted).toBe(true);
    expect(personActs(admitted, 'ana', 'leave').people[0]?.state).toBe('left');
    expect(() => personActs(meeting, 'nobody', 'leave')).toThrow(CallRuleViolation);
  });

  it('are mirrored into a joined call: guests and screen shares follow, with a roster notification once established', () => {
    const sharing = personActs(personArrives(meeting, { id: 'ben', displayName: 'Ben', lobby: false }), 'ben', 'startSharing');
    const change = mirrorMeeting(establishedCall(), sharing, context(2000));
    expect(change?.call.guests?.map((g) => `${g.id}:${g.state}`)).toEqual(['ana:joined', 'ben:joined']);
    expect(change?.call.contentSharing).toEqual(['ben']);
    expect(change?.events).toEqual([{ kind: 'roster', withOthers: true }]);
    // Nothing new: nothing to commit. Not established yet: no notification (establishing tells the roster).
    expect(mirrorMeeting(change!.call, sharing, context(3000))).toBeUndefined();
    expect(mirrorMeeting(newCall(), sharing, context(10))?.events).toEqual([]);
  });
});
