import type { InvocationContext, Timer } from '@azure/functions';
import { drainMessage } from '../service/queue-messages';
import type { Services } from '../service/services';
import { drainOutbox } from './drain';
import type { Lane } from './recipients';
import { sweep } from '../service/sweeper';

/** The notifications queue (the fast lane): "deliver call X's outbox". */
export async function runDrain(s: Services, message: unknown, context: InvocationContext): Promise<void> {
  await drainIn(s, 'fast', message, context);
}

/** The slow lane's queue: the same, for recipients in trouble (see recipients.ts). */
export async function runSlowLaneDrain(s: Services, message: unknown, context: InvocationContext): Promise<void> {
  await drainIn(s, 'slow', message, context);
}

async function drainIn(s: Services, lane: Lane, message: unknown, context: InvocationContext): Promise<void> {
  const parsed = drainMessage.safeParse(message);
  if (!parsed.success) {
    // Retrying cannot fix a malformed message; drop it rather than poison the queue.
    context.warn(`Ignoring a malformed notifications message: ${JSON.stringify(message)}`);
    return;
  }
  await drainOutbox(s, parsed.data.callId, lane);
}

/** The sweeper's timer. */
export async function runSweeper(s: Services, _timer: Timer, context: InvocationContext): Promise<void> {
  const { drains, timers, deleted } = await sweep(s);
  if (drains + timers + deleted > 0) context.log(`Sweeper: re-sent ${drains} outbox drain(s) and ${timers} clock timer(s); deleted ${deleted} ended call(s).`);
}
