import { z } from 'zod';
import { mustBe } from '../graph/schemas';
import { CALL_END_PRESET_NAMES } from './presets';

/**
 * A fault profile: which faults the service injects for one app (or one call), so a bot team can
 * prove its bot survives what Graph does in production. Notification faults act where
 * notifications are delivered (notify/faults.ts), API faults where requests come in
 * (api/request-faults.ts); the calls themselves behave as always.
 */

/** What a notification is about, for faults that apply to some kinds only. */
export const NOTIFICATION_KINDS = ['callState', 'operation', 'tone', 'participants'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The API's routes, by what they do, for API faults that apply to some only. */
export const ROUTE_FAMILIES = ['createCall', 'callActions', 'reads', 'hangUp'] as const;
export type RouteFamily = (typeof ROUTE_FAMILIES)[number];

export { API_FAULTS, CALL_FAULTS, NOTIFICATION_FAULTS, type ApiFault, type CallFault, type FaultKind, type LoggedFault, type NotificationFault } from './fault-names';

const rate = z
  .number(mustBe('a number from 0 to 1'))
  .min(0, { error: 'must be from 0 to 1' })
  .max(1, { error: 'must be from 0 to 1' });

const millis = (max: number) =>
  z
    .number(mustBe('a whole number of milliseconds'))
    .int({ error: 'must be a whole number of milliseconds' })
    .min(0, { error: `must be from 0 to ${max}` })
    .max(max, { error: `must be from 0 to ${max}` });

const kinds = z
  .array(z.enum(NOTIFICATION_KINDS, mustBe(`one of ${NOTIFICATION_KINDS.map((k) => `'${k}'`).join(', ')}`)), mustBe('an array of notification kinds'))
  .min(1, { error: 'must name at least one kind' })
  .max(NOTIFICATION_KINDS.length, { error: `must name at most ${NOTIFICATION_KINDS.length} kinds` });

interface Span {
  readonly ms?: number | undefined;
  readonly minMs?: number | undefined;
  readonly maxMs?: number | undefined;
}

/** A fixed duration (`ms`) or a range (`minMs`..`maxMs`), drawn per fault. */
function span<T extends z.ZodRawShape>(max: number, rest: T) {
  return z
    .strictObject({ ms: millis(max).optional(), minMs: millis(max).optional(), maxMs: millis(max).optional(), ...rest })
    .superRefine((input, ctx) => {
      const v = input as Span;
      if (v.ms !== undefined && (v.minMs !== undefined || v.maxMs !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['ms'], message: "is a fixed duration: give either 'ms' or 'minMs' and 'maxMs'" });
      } else if (v.ms === undefined && (v.minMs === undefined || v.maxMs === undefined)) {
        ctx.addIssue({ code: 'custom', path: [v.minMs === undefined ? 'minMs' : 'maxMs'], message: "is required without 'ms' (give 'ms', or 'minMs' and 'maxMs')" });
      } else if (v.minMs !== undefined && v.maxMs !== undefined && v.minMs > v.maxMs) {
        ctx.addIssue({ code: 'custom', path: ['maxMs'], message: "must be at least 'minMs'" });
      }
    });
}

const HOUR = 3_600_000;

export const notificationFaultsSchema = z.strictObject({
  /** Holds a notification back (and, to keep the call's order, those after it). */
  delay: span(HOUR, { rate: rate.default(1), kinds: kinds.optional() }).optional(),
  /** Delivers a notification twice, with the same id. */
  duplicate: z.strictObject({ rate: rate.default(1), kinds: kinds.optional() }).optional(),
  /** Swaps two successive call state notifications, waiting up to `windowMs` for the second. */
  reorder: z.strictObject({ rate: rate.default(1), windowMs: millis(60_000).default(2000) }).optional(),
  /** Loses a notification's first POST; the service notices and delivers it again after `redeliverAfterMs`. */
  drop: z.strictObject({ rate: rate.default(1), redeliverAfterMs: millis(HOUR).default(1000), kinds: kinds.optional() }).optional(),
  /** Loses a notification for good: never posted, never redelivered. */
  lose: z.strictObject({ rate: rate.default(1), kinds: kinds.optional() }).optional(),
  /** POSTs an empty body instead of the notification, once, whatever the bot answers. */
  empty: z.strictObject({ rate: rate.default(1), kinds: kinds.optional() }).optional(),
});

const refusalBase = z.strictObject({
  rate: rate.optional(),
  /** The requests numbered below `next` since the profile was set. */
  next: z.number(mustBe('a whole number of requests')).int({ error: 'must be a whole number of requests' }).min(1, { error: 'must be at least 1' }).max(1_000_000, { error: 'must be at most 1000000' }).optional(),
});
const needsRateOrNext = (v: { rate?: number | undefined; next?: number | undefined }, ctx: z.RefinementCtx) => {
  if (v.rate === undefined && v.next === undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: "or 'next' is required" });
};
const refusal = refusalBase
  .extend({ retryAfterSeconds: z.number(mustBe('a whole number of seconds')).int({ error: 'must be a whole number of seconds' }).min(1, { error: 'must be from 1 to 3600' }).max(3600, { error: 'must be from 1 to 3600' }).default(2) })
  .superRefine(needsRateOrNext);

export const apiFaultsSchema = z.strictObject({
  /** 429 with Graph's throttling body and Retry-After. */
  throttle: refusal.optional(),
  /** 503 with Retry-After. */
  unavailable: refusal.optional(),
  /** Added latency before the request is handled. */
  latency: span(30_000, { rate: rate.default(1) }).optional(),
  /** Only these routes; all Graph routes when absent (never the emulator's own). */
  routes: z
    .array(z.enum(ROUTE_FAMILIES, mustBe(`one of ${ROUTE_FAMILIES.map((r) => `'${r}'`).join(', ')}`)), mustBe('an array of route families'))
    .min(1, { error: 'must name at least one route family' })
    .max(ROUTE_FAMILIES.length, { error: `must name at most ${ROUTE_FAMILIES.length} route families` })
    .optional(),
});

const preset = z.enum(CALL_END_PRESET_NAMES, mustBe(`one of ${CALL_END_PRESET_NAMES.map((p) => `'${p}'`).join(', ')}`));

/** A call's end as the platform reports it: a preset, or a resultInfo of the test's own. */
export const resultInfoSchema = z.strictObject({
  code: z.number(mustBe('a whole number')).int({ error: 'must be a whole number' }).min(0, { error: 'must be from 0 to 999' }).max(999, { error: 'must be from 0 to 999' }),
  subcode: z.number(mustBe('a whole number')).int({ error: 'must be a whole number' }).min(0, { error: 'must be from 0 to 999999999' }).max(999_999_999, { error: 'must be from 0 to 999999999' }),
  message: z.string(mustBe('a string')).max(512, { error: 'must be at most 512 characters' }).optional(),
});

/** The platform's failures of calls and operations; each decided per call (or request) from the seed. */
export const callFaultsSchema = z.strictObject({
  /** An established call ends `afterMs` later, as if the platform dropped it. */
  drop: z.strictObject({ rate: rate.default(1), afterMs: millis(HOUR).default(0), preset: preset.default('500/1999'), resultInfo: resultInfoSchema.optional() }).optional(),
  /** The call stays `establishing`, then ends `endAfterMs` after it was placed or answered. */
  neverEstablish: z.strictObject({ rate: rate.default(1), endAfterMs: millis(HOUR).default(10_000), preset: preset.default('500/7117'), resultInfo: resultInfoSchema.optional() }).optional(),
  /** Requests on an existing call answer 404 / 8522 "Call not found.", changing nothing. */
  failActions: refusalBase
    .extend({
      /** The error to answer with; Graph's 404 / 8522 "Call not found." when absent. */
      error: z
        .strictObject({
          status: z.number(mustBe('an HTTP status')).int({ error: 'must be a whole number' }).min(400, { error: 'must be from 400 to 599' }).max(599, { error: 'must be from 400 to 599' }),
          code: z.string(mustBe('a string')).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }),
          message: z.string(mustBe('a string')).max(512, { error: 'must be at most 512 characters' }).optional(),
        })
        .optional(),
    })
    .superRefine(needsRateOrNext)
    .optional(),
  /** A playPrompt completes at once with completionReason `unknown` (nothing heard), or fails with a media error. */
  prompts: z.strictObject({ rate: rate.default(1), outcome: z.enum(['unknown', 'mediaError'], mustBe("one of 'unknown', 'mediaError'")) }).optional(),
});

export const faultProfileSchema = z.strictObject({
  /** Makes a run reproducible: the same seed injects the same faults into the same flow. */
  seed: z.number(mustBe('a whole number from 0 to 4294967295')).int({ error: 'must be a whole number from 0 to 4294967295' }).min(0, { error: 'must be from 0 to 4294967295' }).max(4294967295, { error: 'must be from 0 to 4294967295' }).optional(),
  notifications: notificationFaultsSchema.optional(),
  api: apiFaultsSchema.optional(),
  calls: callFaultsSchema.optional(),
});

/** A profile as stored and applied: its seed is always set. */
export type FaultProfile = z.output<typeof faultProfileSchema> & { readonly seed: number };
export type ApiFaults = NonNullable<FaultProfile['api']>;
export type CallFaults = NonNullable<FaultProfile['calls']>;

/** Whether a profile asks for any notification fault. */
export function hasNotificationFaults(profile: FaultProfile | undefined): boolean {
  const n = profile?.notifications;
  return n !== undefined && (n.delay ?? n.duplicate ?? n.reorder ?? n.drop ?? n.lose ?? n.empty) !== undefined;
}

/** A duration of a span: the fixed one, or one drawn from the range. */
export function spanMs(value: Span, pick: (min: number, max: number) => number): number {
  return value.ms ?? pick(value.minMs ?? 0, value.maxMs ?? value.minMs ?? 0);
}
