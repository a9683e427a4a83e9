import type { TableClient } from '@azure/data-tables';
import { cancelMediaProcessing, enqueueMedia } from '../../src/calls/media';
import type { Call } from '../../src/calls/model';
import { newId } from '../../src/graph/ids';
import { renderNotifications } from '../../src/graph/notifications';
import { CallStore, changeTransaction } from '../../src/store/call-store';
import { MessageQueue } from '../../src/store/message-queue';
import { callEntity } from '../../src/store/call-row';
import { CALL_ROW } from '../../src/store/table-schema';
import { startEnvironment, startSink, type BenchEnvironment } from './environment';
import { ratio } from './stats';
import type { DomainContext } from '../../src/calls/draft';
import { floorContext } from './floor-context';

/**
 * Throughput of media actions at concurrency 1, 8, 32 and 128: each worker drives its own call in
 * cycles of playPrompt + cancelMediaProcessing, for a fixed time (three turns of 2 s each,
 * alternating with the floors'). Beside it, the floor: the bare storage round trips of the same
 * cycles (per action: point read of the call row, one transaction with the rows the service
 * writes, the queue sends), at the same concurrency, each worker on a scratch partition of its
 * own; and the same floor without the reads, which is what the service's round trips now are.
 * Delivery is off here (the notifications function is disabled) so all sides do the same storage
 * work; delivery has benchmarks of its own.
 */
const LEVELS = [1, 8, 32, 128];
/** Each side runs TURNS turns of SECONDS at each level. */
const SECONDS = 2;
const TURNS = 3;
const FLOOR_QUEUE = 'bench-floor-throughput';

export async function runThroughputBenchmark(): Promise<void> {
  console.log(`\nthroughput, playPrompt + cancelMediaProcessing cycles per second (local host + Azurite; node ${process.version})\n`);
  console.log('concurrency   service cycles/s   floor cycles/s   ratio   floor, no reads   ratio');
  for (const workers of LEVELS) {
    const { service, floor, noReads } = await measureLevel(workers);
    console.log(`${String(workers).padStart(11)}   ${service.toFixed(1).padStart(16)}   ${floor.toFixed(1).padStart(14)}   ${ratio(service, floor)}   ${noReads.toFixed(1).padStart(15)}   ${ratio(service, noReads)}`);
  }
  console.log('\nfloor per cycle: 2 × (getEntity + submitTransaction with the same rows) + the same queue sends; same SDK, same Azurite.');
  console.log('floor, no reads: the same without the getEntity, each transaction on the ETag the last one returned, as the service');
  console.log('does on a call whose row its instance wrote last (store/remembered-calls.ts).');
  console.log('each concurrency on a fresh Azurite, table and host, after an unmeasured warm-up of all sides.');
}

/**
 * One concurrency, on an environment of its own: Azurite's table engine slows as a table grows,
 * and each level writes tens of thousands of rows, so on one shared table the later levels would
 * measure the table's size as much as their concurrency.
 */
async function measureLevel(workers: number): Promise<{ service: number; floor: number; noReads: number }> {
  const env = await startEnvironment({ 'AzureWebJobs.notifications.Disabled': 'true', 'AzureWebJobs.notificationsSlowLane.Disabled': 'true' });
  const sink = await startSink();
  try {
    await env.account.queue(FLOOR_QUEUE).createIfNotExists();
    const calls = await Promise.all(Array.from({ length: workers }, () => env.api.establishedCall(sink.url)));
    const floorsOf = (reads: boolean) => Promise.all(calls.map((id) => StorageFloor.start(env, id, reads)));
    const [floors, noReadFloors] = [await floorsOf(true), await floorsOf(false)];
    const sides = [
      (i: number) => () => (floors[i] as StorageFloor).cycle(),
      (i: number) => () => (noReadFloors[i] as StorageFloor).cycle(),
      (i: number) => serviceCycle(env, calls[i] as string),
    ];
    // Unmeasured first, on a few calls: the host process compiles its hot paths in its first
    // seconds (one worker's cycles are about a fifth faster after them), and so does this one.
    for (let turn = 0; turn < 2; turn++) for (const side of sides) await run(Math.min(workers, 8), side);
    // Short turns, taken in alternation: the table grows as all run, and the machine's other
    // load comes and goes; alternating spreads both over the sides.
    const totals = [0, 0, 0];
    for (let turn = 0; turn < TURNS; turn++) {
      for (const [k, side] of sides.entries()) totals[k] = (totals[k] ?? 0) + (await run(workers, side)) / TURNS;
    }
    const [floor = 0, noReads = 0, service = 0] = totals;
    return { service, floor, noReads };
  } finally {
    sink.close();
    await env.stop();
  }
}

/** One cycle through the service's HTTP API on one call. */
function serviceCycle(env: BenchEnvironment, callId: string): () => Promise<void> {
  return async () => {
    await env.api.action(callId, 'playPrompt', PROMPT);
    await env.api.action(callId, 'cancelMediaProcessing');
  };
}

const PROMPT = { prompts: [{ mediaInfo: { uri: 'https://cdn.example.com/p.wav' } }] };

/**
 * Runs `workers` loops of `cycle`: a warm-up of half a second, then SECONDS in which the cycles
 * that complete are counted, whenever they started (at 128 workers a cycle takes about half a
 * second: counting only the cycles that start and end inside the window would leave out a
 * quarter of them). Cycles per second.
 */
async function run(workers: number, cycleOf: (worker: number) => () => Promise<void>): Promise<number> {
  const started = Date.now() + 500;
  const stopAt = started + SECONDS * 1000;
  let counted = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, i) => {
      const cycle = cycleOf(i);
      while (Date.now() < stopAt) {
        await cycle();
        const now = Date.now();
        if (now >= started && now <= stopAt) counted++;
      }
    }),
  );
  return counted / SECONDS;
}

/** The storage work of one worker's cycles, on a scratch partition shaped like its call. */
class StorageFloor {
  #call: Call;
  #seq = 0;
  /** The call row's ETag from the last transaction, for a floor that does not read the row first. */
  #etag: string | undefined;

  private constructor(
    private readonly table: TableClient,
    private readonly clock: MessageQueue<unknown>,
    private readonly notifications: MessageQueue<unknown>,
    call: Call,
    /** Whether each action reads the call row first (the floor), or goes on the ETag its last transaction returned (as the service does on a call it wrote last). */
    private readonly reads: boolean,
  ) {
    this.#call = call;
  }

  static async start(env: BenchEnvironment, callId: string, reads: boolean): Promise<StorageFloor> {
    const table = env.account.table(env.config.tableName);
    const loaded = await new CallStore(table).load(callId);
    if (!loaded) throw new Error(`call ${callId} vanished`);
    const call: Call = { ...loaded.record.call, id: newId(), mediaQueue: [], running: undefined } as Call;
    await table.createEntity(callEntity({ call, outboxSeq: 0 }));
    const queue = (name: string) => new MessageQueue(env.account.queue(name));
    return new StorageFloor(table, queue(`${env.config.queues.mediaClock}`), queue(FLOOR_QUEUE), call, reads);
  }

  async cycle(): Promise<void> {
    const prompt = { id: newId(), type: 'playPrompt' as const, parameters: { prompts: [{ uri: PROMPT.prompts[0]?.mediaInfo.uri ?? '' }], loop: false } };
    await this.#action((call, ctx) => enqueueMedia(call, prompt, ctx));
    await this.#action((call, ctx) => cancelMediaProcessing(call, { operationId: newId(), all: true }, ctx));
  }

  async #action(decide: (call: Call, ctx: DomainContext) => ReturnType<typeof cancelMediaProcessing>): Promise<void> {
    const ctx = floorContext(3_600_000);
    const etag = this.reads || this.#etag === undefined ? (await this.table.getEntity(this.#call.id, CALL_ROW)).etag : this.#etag;
    const change = decide(this.#call, ctx);
    const notifications = renderNotifications(change.call, change.events, 'docs');
    const seq = this.#seq++;
    // The service's own transaction (local mode keeps history rows too), on the floor's call.
    const loaded = { record: { call: this.#call, outboxSeq: seq }, etag };
    const written = await this.table.submitTransaction(changeTransaction({ change, notifications, loaded, changeId: newId(), now: ctx.now }, true));
    this.#etag = written.subResponses[0]?.etag?.trim();
    if (change.call.timer && change.call.timer.token !== this.#call.timer?.token) await this.clock.send({ callId: change.call.id }, 3600);
    // As the service: a delivery is asked for only when the change has notifications to deliver.
    if (notifications.length > 0) await this.notifications.send({ callId: change.call.id });
    this.#call = change.call;
  }
}
