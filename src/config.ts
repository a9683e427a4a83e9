import { z } from 'zod';
import type { CallTiming } from './calls/timing';
import { faultProfileSchema } from './faults/profile';

/**
 * Every setting the app reads, from the environment (app settings in Azure, `local.settings.json`
 * Values locally), validated once. Modules take what they need from `config()`; nothing else reads
 * `process.env`.
 */

/** The app's own storage connection: a connection string, or `CallsStorage__*` identity settings. */
export const STORAGE_CONNECTION = 'CallsStorage';

// Table names: 3-63 alphanumerics, starting with a letter (Table service rules).
const tableName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'a table name is 3-63 letters or digits, starting with a letter');

// Queue names: 3-63 lowercase letters, digits and single hyphens (Queue service rules).
const queueName = z
  .string()
  .regex(/^(?!-)(?!.*--)[a-z0-9-]{3,63}(?<!-)$/, 'a queue name is 3-63 lowercase letters, digits and single hyphens');

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be GUIDs');

/** A comma-separated list setting; empty when unset. */
function list(item: z.ZodString) {
  return z
    .string()
    .optional()
    .transform((text) => (text ?? '').split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item));
}

/** The slow delivery lane's queue is the notifications queue's name with this suffix (see notify/recipients.ts). */
export const SLOW_LANE_SUFFIX = '-slow';

const milliseconds = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);

const settingsSchema = z.object({
  /** `local`: the local token issuer, loopback http callbacks and the emulator (the caller's side) are on. */
  SERVICE_MODE: z.enum(['local', 'deployed']).default('deployed'),
  CALLS_TABLE: tableName.default('calls'),
  MEDIA_CLOCK_QUEUE: queueName.default('media-clock'),
  NOTIFICATIONS_QUEUE: queueName.default('notifications'),
  /** operationStatus casing: the docs' `completed` or the schema's `Completed`. */
  GRAPH_ENUM_CASING: z.enum(['docs', 'schema']).default('docs'),
  /** Ids in notification URLs: `graph` as the API returned them (what Graph sends), `docs` as the docs' examples write them. */
  NOTIFICATION_ID_FORM: z.enum(['graph', 'docs']).default('graph'),
  /** Base URL for URLs handed to bots, when the service sits behind a proxy; else see notify/issuer.ts. */
  PUBLIC_BASE_URL: z.url().optional(),
  PROMPT_DURATION_MS: milliseconds(2000),
  BEEP_DURATION_MS: milliseconds(500),
  ESTABLISH_DELAY_MS: milliseconds(1000),
  ANSWER_TIMEOUT_MS: milliseconds(15_000),
  /** A call not kept alive (POST .../keepAlive) for this long ends with 408 / 8537; the docs say 45 minutes. */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(24 * 3_600_000).default(45 * 60_000),
  /** How long a transfer or redirect target takes to answer (or to decline). */
  TARGET_ANSWER_MS: milliseconds(1000),
  /** How long a transfer the target does not answer rings before it fails. */
  TRANSFER_TIMEOUT_MS: milliseconds(30_000),
  /** How long each tone of sendDtmfTones plays. */
  DTMF_TONE_MS: milliseconds(100),
  /**
   * A recordResponse running when the caller hangs up: `notify` ends it cancelled with a
   * notification, as the docs' operation model says; `silent` ends it with none, as Graph has been
   * seen to do in production (microsoft-graph-comms-samples#376).
   */
  RECORDING_ON_CALLER_HANGUP: z.enum(['notify', 'silent']).default('notify'),
  /** Local mode: where the local token issuer's and notification signer's keys are kept. */
  LOCAL_KEYS_FILE: z.string().min(1).default('.local/keys.json'),
  /** Deployed mode: the private JWK (JSON) that signs notification tokens; a Key Vault reference in Azure. */
  NOTIFICATION_SIGNING_KEY: z.string().optional(),
  /** Local mode: a PEM file of CAs trusted for https callbacks besides the system's (npm start: the local CA). */
  CALLBACK_CA_FILE: z.string().min(1).optional(),
  NOTIFICATION_TIMEOUT_MS: milliseconds(10_000),
  NOTIFICATION_RETRY_BASE_MS: milliseconds(1000),
  NOTIFICATION_RETRY_MAX_DELAY_MS: milliseconds(300_000),
  /** A recipient whose circuit opened is probed after this, then after twice as long each time, up to a minute. */
  NOTIFICATION_PROBE_INTERVAL_MS: milliseconds(5000),
  /** Failing notifications are retried this long after they were queued, then dead-lettered. */
  NOTIFICATION_RETRY_WINDOW_MS: z.coerce.number().int().min(0).max(7 * 24 * 3_600_000).default(4 * 3_600_000),
  /** The sweeper re-sends work (outbox drains, clock timers) that has waited longer than this. */
  SWEEP_AFTER_MS: milliseconds(30_000),
  /** The sweeper deletes a terminated call (and its operations) this long after it ended. */
  CALL_RETENTION_MS: z.coerce.number().int().min(0).max(365 * 24 * 3_600_000).default(24 * 3_600_000),
  /** Quota: calls of one app not yet ended; a create beyond it answers 429. */
  MAX_CALLS_PER_APP: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** Graph requests one instance handles at once while apps share it (store/fair-gate.ts); 0: unbounded. */
  REQUEST_CONCURRENCY: z.coerce.number().int().min(0).max(1024).default(16),
  /** Storage round trips one instance's background work (media clock, delivery, sweeper) has in flight at once (store/storage-pool.ts); 0: unbounded. */
  BACKGROUND_STORAGE_CONCURRENCY: z.coerce.number().int().min(0).max(1024).default(8),
  /** Quota: changes that notify the bot, over one call's life; an app's request beyond it answers 429. */
  MAX_NOTIFICATIONS_PER_CALL: z.coerce.number().int().min(10).max(1_000_000).default(10_000),
  /** A recording's recordingAccessToken fetches it for this long after the recording ended. */
  RECORDING_TOKEN_LIFETIME_MS: z.coerce.number().int().min(1000).max(7 * 24 * 3_600_000).default(3_600_000),
  /**
   * Local mode: a fault profile (JSON, see docs/faults.md) for every app without one of its own,
   * for CI runs that cannot send a request first. Refused when deployed.
   */
  FAULT_PROFILE: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not valid JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .pipe(faultProfileSchema.optional()),
  /** Deployed mode: the Entra ID tenants whose apps may call the service (comma-separated tenant ids). */
  ENTRA_ALLOWED_TENANTS: list(guid),
  /** Deployed mode: the accepted token audiences: the service API's App ID URI and/or client id. */
  ENTRA_AUDIENCES: list(z.string().min(1)),
  /** Where Entra ID publishes its keys; only tests change it. */
  ENTRA_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
}).superRefine((s, ctx) => {
  if (s.NOTIFICATIONS_QUEUE.length > 63 - SLOW_LANE_SUFFIX.length) {
    ctx.addIssue({ code: 'custom', path: ['NOTIFICATIONS_QUEUE'], message: `is at most ${63 - SLOW_LANE_SUFFIX.length} characters (the slow lane's queue adds '${SLOW_LANE_SUFFIX}')` });
  }
  if (s.SERVICE_MODE !== 'deployed') return;
  // Faults are for testing bots; a deployment that injects them would fail its real callers.
  if (s.FAULT_PROFILE !== undefined) ctx.addIssue({ code: 'custom', path: ['FAULT_PROFILE'], message: 'is only allowed when SERVICE_MODE is local' });
  const required: [keyof typeof s, string][] = [
    ['NOTIFICATION_SIGNING_KEY', 'a private JWK that signs notification tokens'],
    ['ENTRA_ALLOWED_TENANTS', 'the tenant ids whose apps may call the service'],
    ['ENTRA_AUDIENCES', "the service API's App ID URI or client id"],
  ];
  for (const [name, what] of required) {
    const value = s[name];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `is required when SERVICE_MODE is deployed (${what})` });
    }
  }
});

/** Every setting name this module reads (connection settings aside), for checks against the infrastructure. */
export const SETTING_NAMES: readonly string[] = Object.keys(settingsSchema.shape);

/**
 * The settings as the service uses them: the one schema above, read into the shape the modules
 * take. `Config` is this schema's output, so a setting is declared once and mapped once.
 */
const configSchema = settingsSchema.transform((s) => ({
  mode: s.SERVICE_MODE,
  tableName: s.CALLS_TABLE,
  queues: { mediaClock: s.MEDIA_CLOCK_QUEUE, notifications: s.NOTIFICATIONS_QUEUE, slowLane: `${s.NOTIFICATIONS_QUEUE}${SLOW_LANE_SUFFIX}` },
  enumCasing: s.GRAPH_ENUM_CASING,
  notificationIdForm: s.NOTIFICATION_ID_FORM,
  ...(s.PUBLIC_BASE_URL && { publicBaseUrl: s.PUBLIC_BASE_URL.replace(/\/+$/, '') }),
  timing: {
    promptMs: s.PROMPT_DURATION_MS,
    beepMs: s.BEEP_DURATION_MS,
    establishMs: s.ESTABLISH_DELAY_MS,
    answerTimeoutMs: s.ANSWER_TIMEOUT_MS,
    keepAliveMs: s.KEEP_ALIVE_TIMEOUT_MS,
    targetAnswerMs: s.TARGET_ANSWER_MS,
    transferTimeoutMs: s.TRANSFER_TIMEOUT_MS,
    dtmfToneMs: s.DTMF_TONE_MS,
  } satisfies CallTiming,
  recordingOnCallerHangUp: s.RECORDING_ON_CALLER_HANGUP,
  localKeysFile: s.LOCAL_KEYS_FILE,
  ...(s.NOTIFICATION_SIGNING_KEY && { notificationSigningKey: s.NOTIFICATION_SIGNING_KEY }),
  ...(s.CALLBACK_CA_FILE && { callbackCaFile: s.CALLBACK_CA_FILE }),
  delivery: {
    timeoutMs: s.NOTIFICATION_TIMEOUT_MS,
    retryBaseMs: s.NOTIFICATION_RETRY_BASE_MS,
    retryMaxDelayMs: s.NOTIFICATION_RETRY_MAX_DELAY_MS,
    retryWindowMs: s.NOTIFICATION_RETRY_WINDOW_MS,
    probeIntervalMs: s.NOTIFICATION_PROBE_INTERVAL_MS,
  },
  sweepAfterMs: s.SWEEP_AFTER_MS,
  callRetentionMs: s.CALL_RETENTION_MS,
  recordingTokenLifetimeMs: s.RECORDING_TOKEN_LIFETIME_MS,
  quotas: { callsPerApp: s.MAX_CALLS_PER_APP, notificationsPerCall: s.MAX_NOTIFICATIONS_PER_CALL },
  requestConcurrency: s.REQUEST_CONCURRENCY,
  backgroundStorageConcurrency: s.BACKGROUND_STORAGE_CONCURRENCY,
  // A setting has no one to tell a drawn seed to, so its default seed is fixed.
  ...(s.FAULT_PROFILE && { faultProfile: { ...s.FAULT_PROFILE, seed: s.FAULT_PROFILE.seed ?? 1 } }),
  entra: {
    allowedTenants: s.ENTRA_ALLOWED_TENANTS.map((t) => t.toLowerCase()),
    audiences: s.ENTRA_AUDIENCES,
    authorityHost: s.ENTRA_AUTHORITY_HOST.replace(/\/+$/, ''),
  },
}));

export type Config = z.output<typeof configSchema> & {
  /** The raw environment, for connection settings whose keys depend on the connection name. */
  readonly env: Readonly<Record<string, string | undefined>>;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid app settings: ${problems.join('; ')}`);
  }
  return { ...parsed.data, env: { ...env } };
}

let cached: Config | undefined;

/** The process's configuration, read on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/**
 * `AzureWebJobs.<name>.Disabled=true` (or the `__` form Linux app settings need) turns a function
 * off, as the Functions host reads it.
 */
export function isFunctionDisabled(name: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[`AzureWebJobs.${name}.Disabled`] ?? env[`AzureWebJobs__${name}__Disabled`];
  return value?.trim().toLowerCase() === 'true' || value?.trim() === '1';
}
