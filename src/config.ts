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

const settingsSchema = z.object({
  CALLS_TABLE: tableName.default('calls'),
  MEDIA_CLOCK_QUEUE: queueName.default('media-clock'),
  NOTIFICATIONS_QUEUE: queueName.default('notifications'),
});

export interface Config {
  readonly tableName: string;
  readonly queues: { readonly mediaClock: string; readonly notifications: string };
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
    tableName: s.CALLS_TABLE,
    queues: { mediaClock: s.MEDIA_CLOCK_QUEUE, notifications: s.NOTIFICATIONS_QUEUE },
    env: { ...env },
  };
}

let cached: Config | undefined;

/** The process's configuration, read on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
