import type { InvocationContext, Timer } from '@azure/functions';
import { drainMessage } from '../service/queue-messages';
import type { Services } from '../service/services';
import { drainOutbox } from './drain';
import type { Lane } from './recipients';
import { sweep } from '../service/sweeper';
import { notificationSigner } from './signing';

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

let ownershipRecorded = false;

/**
 * Deployed, the fleet marks its storage as its own once per instance (at its first sweep), so a
 * local npm start pointed at it refuses to start (store/storage-owner.ts). A local mark found here
 * means a local instance used production storage: said in the log, and the fleet takes it back.
 */
async function recordDeployedOwner(s: Services, context: InvocationContext): Promise<void> {
  if (ownershipRecorded || s.config.mode !== 'deployed') return;
  const signingKeyId = String((await notificationSigner(s.config)).publicJwk.kid ?? '');
  const owner = await s.owner.read();
  if (owner?.mode === 'local') context.error(`This storage was marked as used by a local npm start (key '${owner.signingKeyId}'); the deployed service takes it back.`);
  if (owner?.mode !== 'deployed' || owner.signingKeyId !== signingKeyId) await s.owner.record({ mode: 'deployed', signingKeyId, since: s.now() });
  ownershipRecorded = true;
}

/** The sweeper's timer. */
export async function runSweeper(s: Services, _timer: Timer, context: InvocationContext): Promise<void> {
  await recordDeployedOwner(s, context);
  const { drains, timers, deleted } = await sweep(s);
  if (drains + timers + deleted > 0) context.log(`Sweeper: re-sent ${drains} outbox drain(s) and ${timers} clock timer(s); deleted ${deleted} ended call(s).`);
}
