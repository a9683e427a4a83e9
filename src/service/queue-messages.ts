import { z } from 'zod';

/**
 * What the two queues carry: ids, never payloads (a message is at most 64 KiB). Handlers parse
 * with these schemas and drop what does not parse, since retrying cannot fix a malformed message.
 */

/**
 * media-clock: wake call `callId` if its timer still carries `token`. `version` is the call
 * version that set the timer and `sentAt` when it was sent, so a message that arrives before its
 * own commit is visible can wait for it rather than be taken for an old one.
 */
export const clockMessage = z.object({
  callId: z.string().min(1),
  token: z.string().min(1),
  version: z.number().int().optional(),
  sentAt: z.number().optional(),
  /** How many times it has waited for its commit. */
  waited: z.number().int().min(0).optional(),
});
export type ClockMessage = z.infer<typeof clockMessage>;

/** notifications: deliver what is in call `callId`'s outbox. */
export const drainMessage = z.object({ callId: z.string().regex(/^[0-9a-f-]{36}$/) });
export type DrainMessage = z.infer<typeof drainMessage>;
