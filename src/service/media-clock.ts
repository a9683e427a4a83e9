import type { InvocationContext } from '@azure/functions';
import { tick } from '../calls/clock';
import { commitChange } from './commit';
import { clockMessage } from './queue-messages';
import type { Services } from './services';

/**
 * How long a message waits for its commit to become visible before it is taken for a commit that
 * failed: about as long as the storage SDK keeps retrying one. It looks again after 1, 2, 4, 8 s.
 */
const COMMIT_WAIT_MS = 16_000;
/** How far ahead of this instance's clock a sender's may be; a message "sent" later than that is not believed. */
const CLOCK_SKEW_MS = 60_000;

/**
 * The media-clock queue handler. A message wakes one call: if it still carries the call's timer
 * token and the time has come, whatever was due happens (the call is established, the running
 * operation ends and the next starts...). Old messages change nothing, so redelivery is harmless.
 */
export async function runMediaClock(s: Services, message: unknown, context: InvocationContext): Promise<void> {
  const parsed = clockMessage.safeParse(message);
  if (!parsed.success) {
    // Retrying cannot fix a malformed message; drop it rather than poison the queue.
    context.warn(`Ignoring a malformed media-clock message: ${JSON.stringify(message)}`);
    return;
  }
  const wake = parsed.data;
  let earlyUntil: number | undefined;
  let commitPending = false;
  const outcome = await commitChange(s, wake.callId, (call, ctx) => {
    // Sent beside its commit, which is not visible yet (a slow transaction): wait for it.
    commitPending = wake.version !== undefined && call.version < wake.version;
    if (commitPending) return undefined;
    const result = tick(call, wake.token, ctx);
    earlyUntil = result.kind === 'early' ? result.dueAt : undefined;
    return result.kind === 'changed' ? result.change : undefined;
  });
  const age = wake.sentAt === undefined ? undefined : s.now() - wake.sentAt;
  const young = age !== undefined && age > -CLOCK_SKEW_MS && age < COMMIT_WAIT_MS;
  if ((commitPending || outcome.kind === 'notFound') && young) {
    const waited = wake.waited ?? 0;
    await s.mediaClock.send({ ...wake, waited: waited + 1 }, 2 ** Math.min(waited, 3));
    return;
  }
  // Woken before its time (clocks of two machines, rounding): sleep again for the rest.
  if (earlyUntil !== undefined) await s.mediaClock.send(wake, (earlyUntil - s.now()) / 1000);
}
