import { describe, expect, it } from 'vitest';
import { renderNotifications } from '../../../src/graph/notifications';
import { kindOf } from '../../../src/notify/faults';
import { receiveIncomingCall } from '../../../src/calls/lifecycle';
import { pressTones } from '../../../src/calls/caller';
import { subscribeToTone } from '../../../src/calls/media';
import { context, establishedCall } from '../calls/fixtures';

/** What a fault profile's `kinds` select: each notification the service renders has one kind. */
describe('the kind of a notification', () => {
  it('an incoming call’s `created` notification (a whole call, toneInfo null) is a call state, not a tone', () => {
    const input = { id: 'in-1', owner: { tenantId: 't', appId: 'a' }, callbackUri: 'https://bot/cb', family: 'communications' as const, apiVersion: 'v1.0' as const, mediaHosting: 'service' as const, baseUrl: 'https://svc', resource: {} };
    const ring = receiveIncomingCall(input, context(0));
    const [created] = renderNotifications(ring.call, ring.events, 'docs');
    expect(created?.['resourceData']).toMatchObject({ toneInfo: null });
    expect(kindOf(created!)).toBe('callState');
  });

  it('a key press is a tone', () => {
    const subscribed = subscribeToTone(establishedCall(), { operationId: 's' }, context(1100)).call;
    const pressed = pressTones(subscribed, ['tone1'], context(1200));
    const [tone] = renderNotifications(pressed.call, pressed.events, 'docs');
    expect(kindOf(tone!)).toBe('tone');
  });
});
