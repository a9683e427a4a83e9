import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { mintLocalToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { newId } from '../../src/graph/ids';
import { storageAccount } from '../../src/store/connection';
import { MessageQueue } from '../../src/store/message-queue';
import { provisionStorage } from '../../src/store/provision';
import { cancelMediaProcessing } from '../../src/calls/media';
import type { DomainContext } from '../../src/calls/draft';
import { renderNotifications } from '../../src/graph/notifications';
import { CallStore } from '../../src/store/call-store';
import { CALL_ROW, callEntity, operationEntity, operationPatchEntity, operationRowKey, outboxEntity, recipientOf } from '../../src/store/rows';
import { freePorts, startAzurite } from '../azurite';
import { startHostProcess } from '../host/spawn';
import { projectRoot } from '../project-root';
import { fmt, ratio, Samples } from './stats';

/**
 * `npm run bench`: cancelMediaProcessing latency through HTTP on the local host with Azurite, with
 * 1, 10 and 50 queued operations and with 10,000 finished operations in the call's history, beside
 * the floor: the storage round trips that handler needs (one point read, one transaction of the
 * same size, one queue send), measured in the same run with the same SDK.
 */
const APP_ID = '0b0b0b0b-0000-4000-8000-00000000be4c';
const TENANT_ID = '00000000-0000-4000-8000-000000000001';
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

async function main(): Promise<void> {
  const root = projectRoot();
  const azurite = await startAzurite({ ports: await freePorts() });
  const bot = await startBotSink();
  const settings: Record<string, string> = {
    AzureWebJobsStorage: azurite.connectionString,
    CallsStorage: azurite.connectionString,
    SERVICE_MODE: 'local',
    CALLS_TABLE: `bench${randomBytes(3).toString('hex')}`,
    MEDIA_CLOCK_QUEUE: 'bench-media-clock',
    NOTIFICATIONS_QUEUE: 'bench-notifications',
    ESTABLISH_DELAY_MS: '0',
    PROMPT_DURATION_MS: '3600000',
  };
  const config = loadConfig(settings);
  const account = storageAccount('CallsStorage', settings);
  await provisionStorage(account, config);
  const host = await startHostProcess({ env: { ...settings, AzureFunctionsJobHost__logging__logLevel__default: 'Warning' } });
  const token = await mintLocalToken(`${root}/${config.localKeysFile}`, { appId: APP_ID, tenantId: TENANT_ID });
  const api = new Api(`${host.url}/v1.0/communications/calls`, token);
  const table = account.table(config.tableName);
  const store = new CallStore(table);
  const queue = new MessageQueue(account.queue('bench-floor'));
  await queue.client.createIfNotExists();

  try {
    console.log(`cancelMediaProcessing latency, ms (local host + Azurite on this machine; node ${process.version})\n`);
    console.log('scenario                         samples   HTTP p50    p99   floor p50    p99   ratio p50    p99');
    for (const scenario of SCENARIOS) {
      const callId = await api.establishedCall(bot.url);
      const floor = new Floor(table, queue, store);
      await seedHistory(table, callId, scenario.history);
      await floor.seed(scenario.history);
      const through = new Samples();
      const bare = new Samples();
      for (let i = -10; i < scenario.samples; i++) {
        await api.queuePrompts(callId, scenario.queued);
        const floorRound = await floor.prepare(callId, config.enumCasing);
        // The first rounds warm up and are not counted.
        await (i < 0 ? new Samples() : bare).time(floorRound);
        await (i < 0 ? new Samples() : through).time(() => api.cancel(callId));
      }
      const [h50, h99, f50, f99] = [through.percentile(50), through.percentile(99), bare.percentile(50), bare.percentile(99)];
      console.log(`${scenario.label.padEnd(32)} ${String(through.count).padStart(7)} ${fmt(h50)} ${fmt(h99)}  ${fmt(f50)} ${fmt(f99)}   ${ratio(h50, f50)} ${ratio(h99, f99)}`);
    }
    console.log('\nfloor: getEntity(call row) + submitTransaction(call row, N operation merges, cancel row, outbox row) + sendMessage,');
    console.log('       the same entities the service writes, on a partition with the same history; same SDK, same Azurite.');
  } finally {
    await host.stop();
    await azurite.stop();
    bot.server.close();
  }
}

class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  async establishedCall(callbackUri: string): Promise<string> {
    const call = await this.request('POST', '', {
      callbackUri,
      targets: [{ identity: { user: { id: 'bench' } } }],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    const id = String(call['id']);
    for (let i = 0; i < 100 && (await this.request('GET', `/${id}`))['state'] !== 'established'; i++) await new Promise((r) => setTimeout(r, 100));
    return id;
  }

  async queuePrompts(callId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await this.request('POST', `/${callId}/playPrompt`, { prompts: [{ mediaInfo: { uri: 'https://cdn.example.com/p.wav' } }] });
    }
  }

  async cancel(callId: string): Promise<void> {
    await this.request('POST', `/${callId}/cancelMediaProcessing`, {});
  }
}

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

  constructor(
    private readonly table: TableClient,
    private readonly queue: MessageQueue<unknown>,
    private readonly store: CallStore,
  ) {}

  async seed(history: number): Promise<void> {
    await this.table.createEntity({ partitionKey: this.#scratch, rowKey: CALL_ROW });
    await seedHistory(this.table, this.#scratch, history);
  }

  /** Prepares (untimed) the rows of the real call's current state, then returns the timed round trips. */
  async prepare(callId: string, casing: 'docs' | 'schema'): Promise<() => Promise<void>> {
    const loaded = await this.store.load(callId);
    if (!loaded) throw new Error(`call ${callId} vanished`);
    const ctx: DomainContext = { now: Date.now(), timing: { promptMs: 1, beepMs: 1, establishMs: 1, answerTimeoutMs: 1 }, newId, recording: () => ({ location: '', accessToken: '' }) };
    const change = cancelMediaProcessing(loaded.record.call, { operationId: newId(), all: true }, ctx);
    const partitionKey = this.#scratch;
    const round = this.#round++;
    const move = <T extends { partitionKey?: string }>(entity: T) => ({ ...entity, partitionKey });
    await Promise.all(change.patches.map((p) => this.table.upsertEntity({ partitionKey, rowKey: operationRowKey(p.id), status: 'running' })));
    const notifications = renderNotifications(change.call, change.events, casing);
    const actions = (etag: string): TransactionAction[] => [
      ['update', move(callEntity({ call: change.call, outboxSeq: round + 1 })), 'Replace', { etag }],
      ...change.created.map((op): TransactionAction => ['create', move(operationEntity(op))]),
      ...change.patches.map((patch): TransactionAction => ['update', operationPatchEntity(partitionKey, patch), 'Merge']),
      ['create', outboxEntity({ callId: partitionKey, seq: round, ids: notifications.map(() => newId()), recipient: recipientOf(change.call), notifications, createdAt: ctx.now, delivered: 0, attempts: 0, nextAttemptAt: ctx.now })],
    ];
    return async () => {
      const call = await this.table.getEntity(partitionKey, CALL_ROW);
      await this.table.submitTransaction(actions(call.etag));
      await this.queue.send({ callId: partitionKey });
    };
  }
}

/** A callback endpoint that accepts every notification, so delivery never stands in the way. */
function startBotSink(): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, server })),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
