import { z } from 'zod';
import type { ApiVersion } from '../calls/model';
import { text } from './text';

/**
 * Request bodies, with the limits the Graph docs give. Action bodies are strict (an unknown
 * parameter is an error, as in Graph); the call object is open (unknown properties are ignored).
 */

/** A type error that says "is required" when the value is missing and what it must be otherwise. */
export function mustBe(what: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) };
}

/**
 * A type annotation, `#microsoft.graph.{name}`; also without the `#`, as the Microsoft.Graph v1-v4
 * .NET models write it (Graph accepts both). Either way it reads as the `#` form.
 */
function odataType<const N extends string>(name: N) {
  const canonical = `#microsoft.graph.${name}` as const;
  return z.literal([canonical, `microsoft.graph.${name}`], mustBe(`'${canonical}'`)).transform(() => canonical);
}

/**
 * An enum member, matched without regard to case as Graph matches it (the .NET Communications SDK
 * sends `Audio`, `Busy`), and passed on as the schema declares it.
 */
function graphEnum<const T extends readonly [string, ...string[]]>(members: T, what: string) {
  const declared = new Map(members.map((m) => [m.toLowerCase(), m]));
  return z.preprocess((value) => (typeof value === 'string' ? (declared.get(value.toLowerCase()) ?? value) : value), z.enum(members, mustBe(what)));
}

export const clientContext = text(256);

const httpUrl = text(2048).refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

export const mediaInfo = z.object({
  '@odata.type': odataType('mediaInfo').optional(),
  uri: httpUrl,
  resourceId: text(256).optional(),
});

export const mediaPrompt = z.object({
  '@odata.type': odataType('mediaPrompt').optional(),
  mediaInfo,
});

const seconds = z
  .number(mustBe('a number of seconds'))
  .int({ error: 'must be a whole number of seconds' })
  .min(1, { error: 'must be between 1 and 120 seconds' })
  .max(120, { error: 'must be between 1 and 120 seconds' });

/** DTMF characters, as the docs' example writes stop tones ("#", "1", "*"). */
export const dtmfCharacter = z.string().regex(/^[0-9*#A-Da-d]$/, { error: 'must be one DTMF character: 0-9, *, #, A-D' });

export function playPromptSchema(version: ApiVersion) {
  return z.strictObject({
    clientContext: clientContext.optional(),
    prompts: z
      .array(mediaPrompt, mustBe('an array of mediaPrompt'))
      .min(1, { error: 'must contain at least 1 prompt' })
      .max(20, { error: 'must contain at most 20 prompts' }),
    // beta only: loop forever.
    ...(version === 'beta' && { loop: z.boolean(mustBe('a boolean')).optional() }),
  });
}

export function recordResponseSchema(version: ApiVersion) {
  return z.strictObject({
    clientContext: clientContext.optional(),
    prompts: z.array(mediaPrompt, mustBe('an array of mediaPrompt')).max(1, { error: 'must contain at most 1 prompt' }).optional(),
    bargeInAllowed: z.boolean(mustBe('a boolean')).optional(),
    initialSilenceTimeoutInSeconds: seconds.optional(),
    maxSilenceTimeoutInSeconds: seconds.optional(),
    maxRecordDurationInSeconds: seconds.optional(),
    playBeep: z.boolean(mustBe('a boolean')).optional(),
    stopTones: z.array(dtmfCharacter, mustBe('an array of DTMF characters')).max(16, { error: 'must contain at most 16 tones' }).optional(),
    ...(version === 'beta' && { streamWhileRecording: z.boolean(mustBe('a boolean')).optional() }),
  });
}

export const subscribeToToneSchema = z.strictObject({ clientContext: clientContext.optional() });

export const cancelMediaProcessingSchema = z.strictObject({
  clientContext: clientContext.optional(),
  // 2018 parameter, still accepted: false cancels only the running operation.
  all: z.boolean(mustBe('a boolean')).optional(),
});

const modality = graphEnum(['unknown', 'audio', 'video', 'videoBasedScreenSharing', 'data'], "one of 'audio', 'video', 'videoBasedScreenSharing', 'data'");
/** Graph's five modalities, each at most once in practice: a longer list is refused before its items are looked at one by one. */
const modalities = z
  .array(modality)
  .min(1, { error: 'must contain at least 1 modality' })
  .max(5, { error: 'must contain at most 5 modalities' });

export const mediaConfig = z.discriminatedUnion(
  '@odata.type',
  [
    z.object({
      '@odata.type': odataType('serviceHostedMediaConfig'),
      preFetchMedia: z.array(mediaInfo).max(20, { error: 'must contain at most 20 media' }).optional(),
      removeFromDefaultAudioGroup: z.boolean().optional(),
    }),
    z.object({
      '@odata.type': odataType('appHostedMediaConfig'),
      blob: text(16_384),
      removeFromDefaultAudioGroup: z.boolean().optional(),
    }),
  ],
  mustBe("a mediaConfig whose '@odata.type' is '#microsoft.graph.serviceHostedMediaConfig' or '#microsoft.graph.appHostedMediaConfig'"),
);

const graphObject = z.record(z.string(), z.unknown(), mustBe('an object'));
export const guid = z.string().regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i, { error: 'must be a GUID' });

export const createCallSchema = z
  .object({
    '@odata.type': odataType('call').optional(),
    callbackUri: text(2048),
    mediaConfig,
    requestedModalities: modalities.optional(),
    targets: z.array(graphObject).max(50, { error: 'must contain at most 50 targets' }).optional(),
    source: graphObject.optional(),
    tenantId: guid.optional(),
    subject: text(1024).optional(),
    callOptions: graphObject.optional(),
    chatInfo: graphObject.optional(),
    meetingInfo: graphObject.optional(),
    callChainId: guid.optional(),
  })
  .refine((call) => (call.targets?.length ?? 0) > 0 || call.meetingInfo !== undefined, {
    error: 'is needed: a call needs targets (whom to call) or meetingInfo (which meeting to join)',
    path: ['targets'],
  });

export const answerSchema = z.strictObject({
  callbackUri: text(2048),
  acceptedModalities: modalities,
  mediaConfig,
  // 0 is .NET's default for an int the caller did not set; the Communications SDK always sends it.
  participantCapacity: z.number().int().min(0).optional(),
  callOptions: graphObject.optional(),
});

/** invitationParticipantInfo: whom to ring; it needs an identity. */
export const invitationParticipantInfo = z.looseObject(
  {
    '@odata.type': odataType('invitationParticipantInfo').optional(),
    identity: graphObject,
    endpointType: text(64).optional(),
    replacesCallId: guid.optional(),
  },
  mustBe('an invitationParticipantInfo'),
);

export const rejectSchema = z.strictObject({
  reason: graphEnum(['none', 'busy', 'forbidden'], "one of 'none', 'busy', 'forbidden'").optional(),
  callbackUri: text(2048).optional(),
});

export const redirectSchema = z.strictObject({
  targets: z
    .array(invitationParticipantInfo, mustBe('an array of invitationParticipantInfo'))
    .min(1, { error: 'must contain at least 1 target' })
    .max(25, { error: 'must contain at most 25 targets' }),
  timeout: z.number(mustBe('a number of seconds')).int({ error: 'must be a whole number of seconds' }).min(15, { error: 'must be between 15 and 90 seconds' }).max(90, { error: 'must be between 15 and 90 seconds' }).optional(),
  maskCallee: z.boolean(mustBe('a boolean')).optional(),
  maskCaller: z.boolean(mustBe('a boolean')).optional(),
  callbackUri: text(2048).optional(),
});

export const transferSchema = z.strictObject({
  transferTarget: invitationParticipantInfo,
  transferee: graphObject.optional(),
  clientContext: clientContext.optional(),
});

/** The tone enum, as sendDtmfTones takes it. */
export const TONES = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'] as const;

export const sendDtmfTonesSchema = z.strictObject({
  tones: z
    .array(graphEnum(TONES, 'a tone: tone0-tone9, star, pound, a-d or flash'), mustBe('an array of tones'))
    .min(1, { error: 'must contain at least 1 tone' })
    .max(64, { error: 'must contain at most 64 tones' }),
  delayBetweenTonesMs: z.number(mustBe('a number of milliseconds')).int({ error: 'must be a whole number of milliseconds' }).min(0).max(10_000, { error: 'must be at most 10000' }).optional(),
  clientContext: clientContext.optional(),
});

export const updateRecordingStatusSchema = z.strictObject({
  status: graphEnum(['notRecording', 'recording', 'failed'], "one of 'notRecording', 'recording', 'failed'"),
  clientContext: clientContext.optional(),
});

/** mute and unmute: the bot's own audio; only a clientContext. */
export const muteSchema = z.strictObject({ clientContext: clientContext.optional() });

export const changeScreenSharingRoleSchema = z.strictObject({
  role: graphEnum(['viewer', 'sharer'], "one of 'viewer', 'sharer'"),
});

export const addLargeGalleryViewSchema = z.strictObject({ clientContext: clientContext.optional() });
