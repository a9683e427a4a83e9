import { describe, expect, it } from 'vitest';
import { audioRoutingGroupsOf, deleteAudioRoutingGroup, MAX_AUDIO_ROUTING_GROUPS, putAudioRoutingGroup } from '../../../src/calls/audio-routing';
import { shareScreen } from '../../../src/calls/caller';
import type { Call } from '../../../src/calls/model';
import { context, establishedCall, ruleOf } from './fixtures';

const appHosted = (): Call => ({ ...establishedCall(), mediaHosting: 'app' });
const people = new Set(['bot', 'caller', 'agent']);
const group = (id: string, receivers = ['caller']) => ({ id, routingMode: 'oneToOne' as const, sources: ['bot'], receivers });

describe('audio routing groups', () => {
  it('are kept on an app-hosted call, replaced by id, and deleted', () => {
    const created = putAudioRoutingGroup(appHosted(), group('g1'), people, context(2000)).call;
    expect(audioRoutingGroupsOf(created)).toEqual([group('g1')]);
    const multicast = { ...group('g1', ['caller', 'agent']), routingMode: 'multicast' as const };
    const replaced = putAudioRoutingGroup(created, multicast, people, context(2100)).call;
    expect(audioRoutingGroupsOf(replaced)).toEqual([multicast]);
    expect(audioRoutingGroupsOf(deleteAudioRoutingGroup(replaced, 'g1', context(2200))!.call)).toEqual([]);
    expect(deleteAudioRoutingGroup(replaced, 'nope', context(2200))).toBeUndefined();
  });

  it('are refused on service-hosted media, with a wrong shape or a stranger, and past the limit', () => {
    expect(ruleOf(() => putAudioRoutingGroup(establishedCall(), group('g1'), people, context(2000)))).toBe('serviceHostedMedia');
    expect(ruleOf(() => audioRoutingGroupsOf(establishedCall()))).toBe('serviceHostedMedia');
    expect(ruleOf(() => putAudioRoutingGroup(appHosted(), group('g1', ['caller', 'agent']), people, context(2000)))).toBe('invalidRoutingGroup');
    expect(ruleOf(() => putAudioRoutingGroup(appHosted(), group('g1', ['stranger']), people, context(2000)))).toBe('invalidRoutingGroup');
    let call = appHosted();
    for (let i = 0; i < MAX_AUDIO_ROUTING_GROUPS; i++) call = putAudioRoutingGroup(call, group(`g${i}`), people, context(2000 + i)).call;
    expect(ruleOf(() => putAudioRoutingGroup(call, group('one more'), people, context(3000)))).toBe('queueFull');
  });
});

describe('screen sharing by the other side', () => {
  it('opens one session while sharing and closes it after; repeating either changes nothing', () => {
    const sharing = shareScreen(establishedCall(), true, context(2000))!;
    expect(sharing.call.contentSharing).toEqual([sharing.result]);
    expect(shareScreen(sharing.call, true, context(2100))).toBeUndefined();
    expect(shareScreen(sharing.call, false, context(2200))?.call.contentSharing).toEqual([]);
  });
});
