import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { DEFAULT_LOCAL_TENANT, mintLocalToken } from '../../src/auth/tokens';
import { parseGuid } from '../../src/graph/ids';
import { loadConfig, type Config } from '../../src/config';
import { storageAccount, type StorageAccount } from '../../src/store/connection';
import { provisionStorage } from '../../src/store/provision';
import { freePorts, startAzurite } from '../azurite';
import type { HostProcess } from '../host/spawn';
import { startHostProcess } from '../host/spawn';
import { projectRoot } from '../project-root';

export const BENCH_APP_ID = '0b0b0b0b-0000-4000-8000-00000000be4c';

/** Azurite in memory and the real app in the local host, on their own table and queues. */
export interface BenchEnvironment {
  readonly config: Config;
  readonly account: StorageAccount;
  readonly host: HostProcess;
  readonly api: Api;
  stop(): Promise<void>;
}

export async function startEnvironment(overrides: Record<string, string> = {}): Promise<BenchEnvironment> {
  const azurite = await startAzurite({ ports: await freePorts() });
  const suffix = randomBytes(3).toString('hex');
  const settings: Record<string, string> = {
    AzureWebJobsStorage: azurite.connectionString,
    CallsStorage: azurite.connectionString,
    SERVICE_MODE: 'local',
    CALLS_TABLE: `bench${suffix}`,
    MEDIA_CLOCK_QUEUE: `bench-clock-${suffix}`,
    NOTIFICATIONS_QUEUE: `bench-notifications-${suffix}`,
    SWEEP_SCHEDULE: '0 * * * * *',
    ESTABLISH_DELAY_MS: '0',
    PROMPT_DURATION_MS: '3600000',
    AzureFunctionsJobHost__logging__logLevel__default: 'Warning',
    // REQUEST_CONCURRENCY=0 npm run bench … compares against requests never held at the gate.
    ...(process.env['REQUEST_CONCURRENCY'] !== undefined && { REQUEST_CONCURRENCY: process.env['REQUEST_CONCURRENCY'] }),
    ...(process.env['BACKGROUND_STORAGE_CONCURRENCY'] !== undefined && { BACKGROUND_STORAGE_CONCURRENCY: process.env['BACKGROUND_STORAGE_CONCURRENCY'] }),
    ...overrides,
  };
  const config = loadConfig(settings);
  const account = storageAccount('CallsStorage', settings);
  await provisionStorage(account, config);
  const host = await startHostProcess({ env: settings });
  const token = await mintLocalToken(`${projectRoot()}/${config.localKeysFile}`, { appId: BENCH_APP_ID, tenantId: DEFAULT_LOCAL_TENANT });
  return {
    config,
    account,
    host,
    api: new Api(host.url, token),
    async stop() {
      await host.stop();
      await azurite.stop();
    },
  };
}

/** The bot's side of the API, as the benchmarks drive it. */
export class Api {
  constructor(
    readonly serviceUrl: string,
    private readonly token: string,
  ) {}

  /** Through undici's own request API, not fetch: a lean client, so the bot's side costs little beside the floors. */
  async request(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await request(`${this.serviceUrl}${path}`, {
      method: method as 'GET',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  async establishedCall(callbackUri: string): Promise<string> {
    const call = await this.request('POST', '/v1.0/communications/calls', {
      callbackUri,
      targets: [{ identity: { user: { id: 'bench' } } }],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    const id = String(call['id']);
    for (let i = 0; i < 100 && (await this.request('GET', `/v1.0/communications/calls/${id}`))['state'] !== 'established'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return id;
  }

  async action(callId: string, action: string, body: unknown = {}): Promise<Record<string, unknown>> {
    return this.request('POST', `/v1.0/communications/calls/${callId}/${action}`, body);
  }

  /** Presses one key; resolves with the toneInfo sequenceId the bot will see. */
  async pressTone(callId: string, tone: string): Promise<number> {
    const { sequenceIds } = (await this.request('POST', `/emulator/calls/${callId}/tones`, { tones: [tone] })) as { sequenceIds: number[] };
    return sequenceIds[0] ?? 0;
  }
}

/** A callback endpoint that accepts every notification at once, for benchmarks that ignore them. */
export function startSink(): Promise<{ url: string; close(): void }> {
  return startRecorder();
}

/** A received notification, as the lightweight recorder sees it (no token check: benchmarks that count, not validate). */
export interface Recorded {
  readonly callId: string;
  readonly resource: Record<string, unknown>;
  readonly receivedAt: number;
}

/**
 * A callback endpoint that answers 202 at once and reports each notification with its call id;
 * `hang: true` makes one that never answers (a bot that hangs).
 */
export function startRecorder(onNotification: (n: Recorded) => void = () => undefined, options: { hang?: boolean } = {}): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (options.hang) return;
      const receivedAt = Date.now();
      res.writeHead(202).end();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value: { resourceUrl?: string; resourceData?: Record<string, unknown> }[] };
        for (const n of body.value) onNotification({ callId: callIdOf(n.resourceUrl ?? ''), resource: n.resourceData ?? {}, receivedAt });
      } catch {
        // not a notification
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

/** The call id in a notification's resourceUrl, as a lowercase dashed GUID ('' when it has none). */
function callIdOf(resourceUrl: string): string {
  return parseGuid(/\/calls\/([0-9a-f]{32}|[0-9a-f-]{36})/i.exec(resourceUrl)?.[1] ?? '') ?? '';
}
