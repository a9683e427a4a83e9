import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** `local.settings.json` as Core Tools reads it: Values become environment variables. */
const localSettingsSchema = z
  .object({
    IsEncrypted: z.boolean().optional(),
    Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
    Host: z.object({ LocalHttpPort: z.number().int().min(0).max(65535).optional() }).loose().optional(),
  })
  .loose();

export interface LocalSettings {
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
  readonly localHttpPort?: number;
}

export function readLocalSettings(file: string): LocalSettings | undefined {
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = localSettingsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (parsed.data.IsEncrypted) throw new Error(`${file} is encrypted; the local host reads only plain settings.`);
  const port = parsed.data.Host?.LocalHttpPort;
  return { file: path.resolve(file), values: parsed.data.Values ?? {}, ...(port !== undefined && { localHttpPort: port }) };
}

/** Copies settings into the environment; a variable that is already set wins, so callers can override. */
export function applySettings(values: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, value] of Object.entries(values)) {
    if (env[key] === undefined) env[key] = value;
  }
}

/** Resolves `%Setting%` binding expressions, as the Functions host does for queue names and schedules. */
export function resolveBindingExpression(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`The app setting '${name}' (used as %${name}%) is not set.`);
    return value;
  });
}
