import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The parts of host.json the local host honours, with the Azure Functions host's defaults:
 * extensions.http.routePrefix ("api"), extensions.queues (batchSize 16, newBatchThreshold
 * batchSize/2, maxDequeueCount 5, visibilityTimeout 0, maxPollingInterval 1 minute,
 * messageEncoding base64) and logging.logLevel.default (Information).
 */
export interface QueueSettings {
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly maxDequeueCount: number;
  readonly visibilityTimeoutMs: number;
  readonly maxPollingIntervalMs: number;
  readonly messageEncoding: 'base64' | 'none';
}

export interface HostConfig {
  readonly routePrefix: string;
  readonly queues: QueueSettings;
  readonly logLevel: LogLevelName;
}

export const LOG_LEVELS = ['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical', 'None'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** .NET TimeSpan text: [d.]hh:mm:ss[.fffffff] */
export function parseTimeSpan(text: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not a TimeSpan (expected hh:mm:ss).`);
  const [, days = '0', h = '0', min = '0', s = '0', frac = ''] = m;
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  return ((Number(days) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000 + Math.round(ms);
}

const timeSpan = z.string().transform((text, ctx) => {
  try {
    return parseTimeSpan(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const hostJsonSchema = z.object({
  version: z.literal('2.0'),
  extensions: z
    .object({
      http: z.object({ routePrefix: z.string().optional() }).loose().optional(),
      queues: z
        .object({
          batchSize: z.number().int().min(1).max(32).optional(),
          newBatchThreshold: z.number().int().min(0).optional(),
          maxDequeueCount: z.number().int().min(1).optional(),
          visibilityTimeout: timeSpan.optional(),
          maxPollingInterval: timeSpan.optional(),
          messageEncoding: z.enum(['base64', 'none']).optional(),
        })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
  logging: z
    .object({ logLevel: z.object({ default: z.enum(LOG_LEVELS).optional() }).loose().optional() })
    .loose()
    .optional(),
}).loose();

const OVERRIDE_PREFIX = 'AzureFunctionsJobHost__';

/**
 * App settings named `AzureFunctionsJobHost__a__b` override host.json's `a.b`, as on Azure
 * (numbers and booleans are converted).
 */
export function applyOverrides(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const result = structuredClone(raw);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(OVERRIDE_PREFIX) || value === undefined) continue;
    const keys = name.slice(OVERRIDE_PREFIX.length).split('__');
    let node = result;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      node = (node[key] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
  }
  return result;
}

export function readHostConfig(appRoot: string, env: Readonly<Record<string, string | undefined>> = process.env): HostConfig {
  const file = path.join(appRoot, 'host.json');
  let raw: unknown;
  try {
    raw = applyOverrides(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, env);
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = hostJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid ${file}: ${problems.join('; ')}`);
  }
  const q = parsed.data.extensions?.queues ?? {};
  const batchSize = q.batchSize ?? 16;
  return {
    routePrefix: parsed.data.extensions?.http?.routePrefix ?? 'api',
    queues: {
      batchSize,
      newBatchThreshold: q.newBatchThreshold ?? Math.floor(batchSize / 2),
      maxDequeueCount: q.maxDequeueCount ?? 5,
      visibilityTimeoutMs: q.visibilityTimeout ?? 0,
      maxPollingIntervalMs: q.maxPollingInterval ?? 60_000,
      messageEncoding: q.messageEncoding ?? 'base64',
    },
    logLevel: parsed.data.logging?.logLevel?.default ?? 'Information',
  };
}
