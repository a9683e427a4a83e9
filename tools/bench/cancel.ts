import type { TableClient, TransactionAction } from '@azure/data-tables';
import { newId } from '../../src/graph/ids';
import { MessageQueue } from '../../src/store/message-queue';
import { cancelMediaProcessing } from '../../src/calls/media';
import { renderNotifications } from '../../src/graph/notifications';
import { CallStore, changeTransaction } from '../../src/store/call-store';
import { CALL_ROW, operationRowKey } from '../../src/store/table-schema';
import { startEnvironment, startSink } from './environment';
import { fmt, ratio, Samples } from './stats';
import { floorContext } from './floor-context';

/**
 * cancelMediaProcessing latency through HTTP on the local host with Azurite, with
 * 1, 10 and 50 queued operations and with 10,000 finished operations in the call's history, beside
 * the floor: the storage round trips that handler needs (one point read, one transaction of the
 * same size, one queue send), measured in the same run with the same SDK; and the same floor
 * without the read, which is what the service does on a call its instance wrote last.
 */
const HISTORY = 10_000;

interface Scenario {
  readonly label: string;
  readonly queued: number;
  readonly history: number;
  readonly samples: number;
}

const SCENARIOS: Scenario[] = [
  { label: '1 queued', queued: 1, history: 0, samples: 200 },
  { label: '10 queued', queued: 10, history: 0, samples: 100 },
  { label: '50 queued', queued: 50, history: 0, samples: 40 },
  { label: `10 queued, ${HISTORY.toLocaleString('en')} done`, queued: 10, history: HISTORY, samples: 100 },
];

export async function runCancelBenchmark(): Promise<void> {
  // No delivery on either side: the floor's queue messages are never consumed, so the service's
  // are not either (no drains competing with the requests on one side only).
  const env = await startEnvironment({ 'AzureWebJobs.notifications.Disabled': 'true' });
  const sink = await startSink();
  const { api, config } = env;
  const table = env.account.table(config.tableName);
  const store = new CallStore(table);
  const queue = new MessageQueue(env.account.queue('bench-floor'));
  await queue.client.createIfNotExists();

  try {
    console.log(`cancelMediaProcessing latency, ms (local host + Azurite on this machine; node ${process.version})\n`);
    console.log('scenario                         samples   HTTP p50    p99   floor p50    p99   ratio p50    p99   no reads p50    p99   ratio p50    p99');
    for (const scenario of SCENARIOS) {
      const callId = await api.establishedCall(sink.url);
      const floors = [new Floor(table, queue, store, true), new Floor(table, queue, store, false)] as const;
      await seedHistory(table, callId, scenario.history);
      for (const floor of floors) await floor.seed(scenario.history);
      const through = new Samples();
      const bare = [new Samples(), new Samples()] as const;
      for (let i = -10; i < scenario.samples; i++) {
        for (let j = 0; j < scenario.queued; j++) await api.action(callId, 'playPrompt', PROMPT);
        // The first rounds warm up and are not counted.
        for (const [k, floor] of floors.entries()) {
          const floorRound = await floor.prepare(callId, config.enumCasing);
          await (i < 0 ? new Samples() : bare[k] as Samples).time(floorRound);
        }
        await (i < 0 ? new Samples() : through).time(() => api.action(callId, 'cancelMediaProcessing'));
      }
      const [h50, h99] = [through.percentile(50), through.percentile(99)];
      const vs = (floor: Samples) => `${fmt(floor.percentile(50))} ${fmt(floor.percentile(99))}   ${ratio(h50, floor.percentile(50))} ${ratio(h99, floor.percentile(99))}`;
      console.log(`${scenario.label.padEnd(32)} ${String(through.count).padStart(7)} ${fmt(h50)} ${fmt(h99)}  ${vs(bare[0])}    ${vs(bare[1])}`);
    }
    console.log('\nfloor: getEntity(call row) + submitTransaction(call row, N operation merges, cancel row, outbox row, history row) + sendMessage,');
    console.log('       the same entities the service writes, on a partition with the same history; same SDK, same Azurite;');
    console.log('       delivery off on both sides (the queue messages wait, unconsumed).');
    console.log('no reads: the same floor without the getEntity, its transaction on the ETag the last one returned, as the service');
    console.log('       does on a call whose row its instance wrote last (store/remembered-calls.ts).');
  } finally {
    sink.close();
    await env.stop();
  }
}

const PROMPT = { prompts: [{ mediaInfo: { uri: 'https://cdn.example.com/p.wav' } }] };

/** Finished operations, written straight into a partition, 100 per transaction. */
async function seedHistory(table: TableClient, partitionKey: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const batch: TransactionAction[] = [];
    for (let j = i; j < Math.min(count, i + 100); j++) {
      batch.push(['create', { partitionKey, rowKey: operationRowKey(newId()), type: 'playPrompt', status: 'completed', version: 1, createdAt: 0 }]);
    }
    await table.submitTransaction(batch);
  }
}

/**
 * The floor: the exact storage round trips a cancel makes (point read of the call row, one
 * transaction, one queue send), with the same entities the service would write for the call as
 * it stands, but into a scratch partition with the same history, so only the service's own work
 * (HTTP, token, decision, rendering) separates the two figures.
 */
class Floor {
  readonly #scratch = newId();
  #round = 0;
  /** The scratch call row's ETag from the last transaction, for a floor that does not read it first. */
  #etag: string | undefined;

  constructor(
    private readonly table: TableClient,
    private readonly queue: MessageQueue<unknown>,
    private readonly store: CallStore,
    /** Whether the round reads the call row first, or goes on the ETag its last transaction returned. */
    private readonly reads: boolean,
  ) {}

  async seed(history: number): Promise<void> {
    await this.table.createEntity({ partitionKey: this.#scratch, rowKey: CALL_ROW });
    await seedHistory(this.table, this.#scratch, history);
  }

  /** Prepares (untimed) the rows of the real call's current state, then returns the timed round trips. */
  async prepare(callId: string, casing: 'docs' | 'schema'): Promise<() => Promise<void>> {
    const loaded = await this.store.load(callId);
    if (!loaded) throw new Error(`call ${callId} vanished`);
    const ctx = floorContext();
    const change = cancelMediaProcessing(loaded.record.call, { operationId: newId(), all: true }, ctx);
    const partitionKey = this.#scratch;
    const round = this.#round++;
    const move = <T extends { partitionKey?: string }>(entity: T) => ({ ...entity, partitionKey });
    await Promise.all(change.patches.map((p) => this.table.upsertEntity({ partitionKey, rowKey: operationRowKey(p.id), status: 'running' })));
    const notifications = renderNotifications(change.call, change.events, casing);
    // The service's own transaction (local mode keeps history rows too), moved to the scratch partition.
    const actions = (etag: string): TransactionAction[] =>
      changeTransaction({ change, notifications, loaded: { record: { call: change.call, outboxSeq: round }, etag }, changeId: newId(), now: ctx.now }, true).map(
        ([kind, entity, ...rest]) => [kind, move(entity), ...rest] as TransactionAction,
      );
    return async () => {
      const etag = this.reads || this.#etag === undefined ? (await this.table.getEntity(partitionKey, CALL_ROW)).etag : this.#etag;
      const written = await this.table.submitTransaction(actions(etag));
      this.#etag = written.subResponses[0]?.etag?.trim();
      await this.queue.send({ callId: partitionKey });
    };
  }
}
