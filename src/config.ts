import { z } from 'zod';

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

const milliseconds = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);

const settingsSchema = z.object({
  /** `local`: the local token issuer, loopback http callbacks and the caller simulation are on. */
  SERVICE_MODE: z.enum(['local', 'deployed']).default('deployed'),
  CALLS_TABLE: tableName.default('calls'),
  MEDIA_CLOCK_QUEUE: queueName.default('media-clock'),
  NOTIFICATIONS_QUEUE: queueName.default('notifications'),
  /** operationStatus casing: the docs' `completed` or the schema's `Completed`. */
  GRAPH_ENUM_CASING: z.enum(['docs', 'schema']).default('docs'),
  /** Base URL for URLs handed to bots, when the service sits behind a proxy; else the request's. */
  PUBLIC_BASE_URL: z.url().optional(),
  PROMPT_DURATION_MS: milliseconds(2000),
  BEEP_DURATION_MS: milliseconds(500),
  ESTABLISH_DELAY_MS: milliseconds(1000),
  ANSWER_TIMEOUT_MS: milliseconds(15_000),
  /** Local mode: where the local token issuer's and notification signer's keys are kept. */
  LOCAL_KEYS_FILE: z.string().min(1).default('.local/keys.json'),
});

export interface Config {
  readonly mode: 'local' | 'deployed';
  readonly tableName: string;
  readonly queues: { readonly mediaClock: string; readonly notifications: string };
  readonly enumCasing: 'docs' | 'schema';
  readonly publicBaseUrl?: string;
  readonly timing: { readonly promptMs: number; readonly beepMs: number; readonly establishMs: number; readonly answerTimeoutMs: number };
  readonly localKeysFile: string;
  /** The raw environment, for connection settings whose keys depend on the connection name. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid app settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  return {
    mode: s.SERVICE_MODE,
    tableName: s.CALLS_TABLE,
    queues: { mediaClock: s.MEDIA_CLOCK_QUEUE, notifications: s.NOTIFICATIONS_QUEUE },
    enumCasing: s.GRAPH_ENUM_CASING,
    ...(s.PUBLIC_BASE_URL && { publicBaseUrl: s.PUBLIC_BASE_URL.replace(/\/+$/, '') }),
    timing: { promptMs: s.PROMPT_DURATION_MS, beepMs: s.BEEP_DURATION_MS, establishMs: s.ESTABLISH_DELAY_MS, answerTimeoutMs: s.ANSWER_TIMEOUT_MS },
    localKeysFile: s.LOCAL_KEYS_FILE,
    env: { ...env },
  };
}

let cached: Config | undefined;

/** The process's configuration, read on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
