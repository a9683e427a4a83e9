import { CallDraft, type DomainContext } from './draft';
import { hasEnded, type Call, type CallChange } from './model';
import { CallRuleViolation } from './rules';

/**
 * audioRoutingGroups: with app-hosted media the bot says whose audio reaches whom (a private
 * channel, a whisper). Kept on the call; Graph refuses them on service-hosted calls, whose media the
 * platform mixes.
 */

export type RoutingMode = 'oneToOne' | 'multicast';

export interface AudioRoutingGroup {
  readonly id: string;
  readonly routingMode: RoutingMode;
  readonly sources: readonly string[];
  readonly receivers: readonly string[];
}

/** A call keeps at most this many groups (they live in its row). */
export const MAX_AUDIO_ROUTING_GROUPS = 20;

function assertAppHosted(call: Call): void {
  if (hasEnded(call.state)) throw new CallRuleViolation('callEnded', `Call ${call.id} is ${call.state}; it has no audio to route.`);
  if (call.mediaHosting !== 'app') {
    throw new CallRuleViolation('serviceHostedMedia', `Audio routing groups need app-hosted media; call ${call.id} uses serviceHostedMediaConfig.`);
  }
}

/** oneToOne: one source and one receiver; multicast: one source, any receivers. Both name participants of the call. */
function assertShape(group: AudioRoutingGroup, participantIds: ReadonlySet<string>): void {
  if (group.sources.length !== 1) throw new CallRuleViolation('invalidRoutingGroup', `An audio routing group has exactly one source; this one has ${group.sources.length}.`);
  if (group.receivers.length < 1 || (group.routingMode === 'oneToOne' && group.receivers.length !== 1)) {
    throw new CallRuleViolation('invalidRoutingGroup', `A ${group.routingMode} audio routing group needs ${group.routingMode === 'oneToOne' ? 'exactly one receiver' : 'at least one receiver'}.`);
  }
  const unknown = [...group.sources, ...group.receivers].find((id) => !participantIds.has(id));
  if (unknown !== undefined) throw new CallRuleViolation('invalidRoutingGroup', `Participant '${unknown}' is not on the call.`);
}

/** Creates a group, or replaces the one with the same id (PATCH sends the whole group after merging). */
export function putAudioRoutingGroup(call: Call, group: AudioRoutingGroup, participantIds: ReadonlySet<string>, ctx: DomainContext): CallChange<AudioRoutingGroup> {
  assertAppHosted(call);
  assertShape(group, participantIds);
  const others = (call.audioRoutingGroups ?? []).filter((g) => g.id !== group.id);
  if (others.length >= MAX_AUDIO_ROUTING_GROUPS) throw new CallRuleViolation('queueFull', `Call ${call.id} already has ${MAX_AUDIO_ROUTING_GROUPS} audio routing groups, the limit.`);
  const draft = new CallDraft(call, ctx);
  draft.set({ audioRoutingGroups: [...others, group] });
  return draft.finish(group);
}

export function deleteAudioRoutingGroup(call: Call, id: string, ctx: DomainContext): CallChange | undefined {
  assertAppHosted(call);
  if (!(call.audioRoutingGroups ?? []).some((g) => g.id === id)) return undefined;
  const draft = new CallDraft(call, ctx);
  draft.set({ audioRoutingGroups: (call.audioRoutingGroups ?? []).filter((g) => g.id !== id) });
  return draft.finish(undefined);
}

/** Reading needs the same as writing: an app-hosted call. */
export function audioRoutingGroupsOf(call: Call): readonly AudioRoutingGroup[] {
  assertAppHosted(call);
  return call.audioRoutingGroups ?? [];
}
