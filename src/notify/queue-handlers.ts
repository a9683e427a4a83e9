import type { InvocationContext, Timer } from '@azure/functions';
import { drainMessage } from '../service/queue-messages';
import { services } from '../service/services';
import { drainOutbox } from './drain';
import { sweep } from './sweeper';

/** The notifications queue: "deliver call X's outbox". */
export async function runDrain(message: unknown, context: InvocationContext): Promise<void> {
  const parsed = drainMessage.safeParse(message);
  if (!parsed.success) {
    // Retrying cannot fix a malformed message; drop it rather than poison the queue.
    context.warn(`Ignoring a malformed notifications message: ${JSON.stringify(message)}`);
    return;
  }
  await drainOutbox(services(), parsed.data.callId);
}

/** The sweeper's timer. */
export async function runSweeper(_timer: Timer, context: InvocationContext): Promise<void> {
  const { drains, timers, deleted } = await sweep(services());
  if (drains + timers + deleted > 0) context.log(`Sweeper: re-sent ${drains} outbox drain(s) and ${timers} clock timer(s); deleted ${deleted} ended call(s).`);
}
