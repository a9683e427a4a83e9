import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { tick } from '../calls/clock';
import { changeCall } from './changes';
import { services } from './services';

const clockMessage = z.object({ callId: z.string().min(1), token: z.string().min(1) });

/**
 * The media-clock queue handler. A message wakes one call: if it still carries the call's timer
 * token and the time has come, whatever was due happens (the call is established, the running
 * operation ends and the next starts...). Old messages change nothing, so redelivery is harmless.
 */
export async function runMediaClock(message: unknown, context: InvocationContext): Promise<void> {
  const parsed = clockMessage.safeParse(message);
  if (!parsed.success) {
    // Retrying cannot fix a malformed message; drop it rather than poison the queue.
    context.warn(`Ignoring a malformed media-clock message: ${JSON.stringify(message)}`);
    return;
  }
  const { callId, token } = parsed.data;
  const s = services();
  let earlyUntil: number | undefined;
  await changeCall(s, callId, undefined, (call, ctx) => {
    const result = tick(call, token, ctx);
    earlyUntil = result.kind === 'early' ? result.dueAt : undefined;
    return result.kind === 'changed' ? result.change : undefined;
  });
  // Woken before its time (clocks of two machines, rounding): sleep again for the rest.
  if (earlyUntil !== undefined) await s.mediaClock.send({ callId, token }, (earlyUntil - s.now()) / 1000);
}
