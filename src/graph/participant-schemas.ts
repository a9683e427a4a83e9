import { z } from 'zod';
import { clientContext, invitationParticipantInfo, mediaPrompt, mustBe } from './schemas';

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
