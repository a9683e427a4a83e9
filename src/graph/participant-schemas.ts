import { z } from 'zod';
import { clientContext, guid, invitationParticipantInfo, mediaPrompt, mustBe } from './schemas';

/** Request bodies of the participants actions (participant-invite.md, participant-startholdmusic.md...). */

export const inviteSchema = z.strictObject({
  // The limit of 5 is a rule of the call (tooManyInvitees), so that it reads like Graph's; this one only bounds the body.
  participants: z.array(invitationParticipantInfo, mustBe('an array of invitationParticipantInfo')).min(1, { error: 'must contain at least 1 participant' }).max(50, { error: 'must contain at most 50 participants' }),
  clientContext: clientContext.optional(),
});

export const startHoldMusicSchema = z.strictObject({
  customPrompt: mediaPrompt.optional(),
  clientContext: clientContext.optional(),
});

export const stopHoldMusicSchema = z.strictObject({ clientContext: clientContext.optional() });

/** beta participants/muteAll: optionally the ids to mute (all but the bot when absent). */
export const muteAllSchema = z.strictObject({
  participants: z.array(z.string(mustBe('a participant id')).max(64), mustBe('an array of participant ids')).max(100).optional(),
  clientContext: clientContext.optional(),
});

const participantIds = (what: string) => z.array(z.string(mustBe('a participant id')).max(64, { error: 'must be at most 64 characters' }), mustBe(`an array of ${what}`)).max(100, { error: 'must contain at most 100 participants' });

/** An audioRoutingGroup as created (POST) or changed (PATCH: every member optional). */
export const audioRoutingGroupSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.audioRoutingGroup', mustBe("'#microsoft.graph.audioRoutingGroup'")).optional(),
  id: z.string(mustBe('a string')).min(1).max(64, { error: 'must be at most 64 characters' }).optional(),
  routingMode: z.enum(['oneToOne', 'multicast'], mustBe("one of 'oneToOne', 'multicast'")),
  sources: participantIds('participant ids'),
  receivers: participantIds('participant ids'),
});
export const audioRoutingGroupPatchSchema = audioRoutingGroupSchema.partial();


/** POST /communications/calls/logTeleconferenceDeviceQuality: the members the teleconferenceDeviceQuality page calls required, checked. */
export const deviceQualitySchema = z.strictObject({
  quality: z.looseObject(
    {
      callChainId: guid,
      participantId: guid,
      mediaLegId: guid,
      deviceName: z.string(mustBe('a string')).min(1, { error: 'must not be empty' }).max(256, { error: 'must be at most 256 characters' }),
      deviceDescription: z.string(mustBe('a string')).max(1024, { error: 'must be at most 1024 characters' }),
      mediaQualityList: z.array(z.record(z.string(), z.unknown(), mustBe('a teleconferenceDeviceMediaQuality')), mustBe('an array of teleconferenceDeviceMediaQuality')).max(20, { error: 'must contain at most 20 entries' }),
    },
    mustBe('a teleconferenceDeviceQuality'),
  ),
});
