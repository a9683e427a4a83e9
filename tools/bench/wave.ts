import { newId } from '../../src/graph/ids';
import { MessageQueue } from '../../src/store/message-queue';
import { CALL_ROW, outboxRowKey } from '../../src/store/table-schema';
import { Api, startEnvironment, startRecorder, type BenchEnvironment, type Recorded } from './environment';
import { DEFAULT_LOCAL_TENANT, mintLocalToken } from '../../src/auth/tokens';
import { projectRoot } from '../project-root';
import { fmt, Samples } from './stats';

/**
 * Load: two waves of 200 concurrent calls. Each call: create, (established by the media clock)
 * 3 × playPrompt, cancelMediaProcessing, hang-up (DELETE), its requests one after another. Per
 * wave: request latency p50/p99 per kind, and the time from the wave's last API answer to the
 * arrival of its last notification (every call's `terminated`).
 */
const CALLS = 200;
const WAVES = 2;
const PROMPT = { prompts: [{ mediaInfo: { uri: 'https://cdn.example.com/p.wav' } }] };

export async function runWaveBenchmark(): Promise<void> {
  const env = await startEnvironment();
  const seen = new Map<string, Set<string>>();
  const waiters = new Map<string, () => void>();
  let lastTerminated = 0;
  const sink = await startRecorder((n: Recorded) => {
    const state = n.resource['@odata.type'] === '#microsoft.graph.call' ? String(n.resource['state']) : undefined;
    if (!state) return;
    const states = seen.get(n.callId) ?? new Set<string>();
    states.add(state);
    seen.set(n.callId, states);
    if (state === 'terminated') lastTerminated = Math.max(lastTerminated, n.receivedAt);
    waiters.get(`${n.callId}/${state}`)?.();
  });
  const reached = (callId: string, state: string) =>
    seen.get(callId)?.has(state) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(`${callId}/${state}`, resolve));

  // Another app, running one IVR flow at a time: idle first, then beside each wave.
  const other = new Api(env.api.serviceUrl, await mintLocalToken(`${projectRoot()}/${env.config.localKeysFile}`, { appId: OTHER_APP_ID, tenantId: DEFAULT_LOCAL_TENANT }));
  try {
    console.log(`\nwave: ${WAVES} × ${CALLS} concurrent calls (create, 3 × playPrompt, cancel, hang-up each), ms (node ${process.version})\n`);
    const idle = new Samples();
    for (let i = 0; i < IDLE_FLOWS; i++) await ivrFlow(other, sink.url, idle, reached);
    await metricsOf(env); // starts the host's event-loop monitor and resets its counters
    const breakdowns: string[] = [];
    const beside: Samples[] = [];
    console.log('wave  kind                    requests    p50     p99   last answer → last notification');
    for (let wave = 1; wave <= WAVES; wave++) {
      const floor = await createFloor(env);
      const kinds = { create: new Samples(), playPrompt: new Samples(), cancelMediaProcessing: new Samples(), hangUp: new Samples() };
      let lastAnswer = 0;
      const timed = async <T>(kind: keyof typeof kinds, work: () => Promise<T>) => {
        const result = await kinds[kind].time(work);
        lastAnswer = Math.max(lastAnswer, Date.now());
        return result;
      };
      const ids: string[] = [];
      let failures = 0;
      const otherApp = new Samples();
      let waveOver = false;
      const flows = (async () => {
        while (!waveOver) await ivrFlow(other, sink.url, otherApp, reached);
      })();
      await Promise.all(
        Array.from({ length: CALLS }, async () => {
          try {
            const call = await timed('create', () =>
              env.api.request('POST', '/v1.0/communications/calls', {
                callbackUri: sink.url,
                targets: [{ identity: { user: { id: 'bench' } } }],
                mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
              }),
            );
            const id = String(call['id']);
            ids.push(id);
            await reached(id, 'established');
            for (let i = 0; i < 3; i++) await timed('playPrompt', () => env.api.action(id, 'playPrompt', PROMPT));
            await timed('cancelMediaProcessing', () => env.api.action(id, 'cancelMediaProcessing'));
            await timed('hangUp', () => env.api.request('DELETE', `/v1.0/communications/calls/${id}`));
          } catch (error) {
            failures++;
            if (failures === 1) console.error(`  a request failed: ${(error as Error).message}`);
          }
        }),
      );
      waveOver = true;
      await flows;
      beside.push(otherApp);
      await Promise.all(ids.map((id) => reached(id, 'terminated')));
      const tail = lastTerminated - lastAnswer;
      breakdowns.push(breakdown(wave, await metricsOf(env), CALLS * 6 + otherApp.count));
      for (const [kind, s] of Object.entries(kinds)) {
        console.log(`${String(wave).padEnd(5)} ${kind.padEnd(22)} ${String(s.count).padStart(9)} ${fmt(s.percentile(50))} ${fmt(s.percentile(99))}${kind === 'hangUp' ? `   ${tail.toFixed(0).padStart(8)}` : ''}`);
      }
      console.log(`${String(wave).padEnd(5)} ${'(floor: create)'.padEnd(22)} ${String(floor.count).padStart(9)} ${fmt(floor.percentile(50))} ${fmt(floor.percentile(99))}`);
      if (failures > 0) console.log(`      ${failures} call(s) had a failed request`);
    }
    console.log(`\nanother app's IVR flow (create, playPrompt, cancel, hang-up; its requests' latency), ms:`);
    console.log('                          requests    p50     p99   p99 / idle p99');
    console.log(`idle                      ${String(idle.count).padStart(8)} ${fmt(idle.percentile(50))} ${fmt(idle.percentile(99))}`);
    beside.forEach((s, i) => console.log(`beside wave ${i + 1}             ${String(s.count).padStart(8)} ${fmt(s.percentile(50))} ${fmt(s.percentile(99))}   ${(s.percentile(99) / idle.percentile(99)).toFixed(2)}x`));
    console.log('\nwhere the time went, per wave (the host process):');
    breakdowns.forEach((line) => console.log(line));
    console.log('\nfloor: the storage round trips of a create (queue send, one transaction of call row + outbox row, queue send),');
    console.log(`       ${CALLS} at once, from this process, just before the wave; same SDK, same Azurite.`);
    console.log('Goals: every request p99 ≤ 2 × its floor and ≤ 2000 ms; last notification ≤ 2000 ms after the last answer; the other app ≤ 2 × idle p99.');
  } finally {
    sink.close();
    await env.stop();
  }
}

/** The bare storage work of CALLS creates at once, with entities of about the same size. */
async function createFloor(env: BenchEnvironment): Promise<Samples> {
  const table = env.account.table(env.config.tableName);
  const queue = new MessageQueue<{ callId: string }>(env.account.queue('bench-floor-wave'));
  await queue.client.createIfNotExists();
  const samples = new Samples();
  const padding = 'x'.repeat(2000); // about a new call's row and its first notification
  await Promise.all(
    Array.from({ length: CALLS }, () =>
      samples.time(async () => {
        const callId = newId();
        await queue.send({ callId }, 3600);
        await table.submitTransaction([
          ['create', { partitionKey: callId, rowKey: CALL_ROW, resource: padding }],
          ['create', { partitionKey: callId, rowKey: outboxRowKey(0), notifications: padding }],
        ]);
        await queue.send({ callId }, 3600);
      }),
    ),
  );
  return samples;
}

const OTHER_APP_ID = '0c0c0c0c-0000-4000-8000-00000000be4c';
const IDLE_FLOWS = 20;

/** One IVR flow of another app: create, (established) playPrompt, cancel, hang-up; each request timed. */
async function ivrFlow(api: Api, callbackUri: string, samples: Samples, reached: (callId: string, state: string) => Promise<void>): Promise<void> {
  const call = await samples.time(() => api.request('POST', '/v1.0/communications/calls', { callbackUri, targets: [{ identity: { user: { id: 'other' } } }], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }));
  const id = String(call['id']);
  await reached(id, 'established');
  await samples.time(() => api.action(id, 'playPrompt', PROMPT));
  await samples.time(() => api.action(id, 'cancelMediaProcessing'));
  await samples.time(() => api.request('DELETE', `/v1.0/communications/calls/${id}`));
}

interface HostMetrics {
  readonly requests: { limit: number; shared: boolean; entered: number; waitedMs: number; maxWaiting: number };
  readonly storage: { backgroundLimit: number; roundTrips: { api: number; background: number }; backgroundWaitedMs: number; maxWaiting: number };
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number };
  readonly signing: { count: number; ms: number };
}

/** The host's counters since the last read (GET /emulator/metrics resets them). */
async function metricsOf(env: BenchEnvironment): Promise<HostMetrics> {
  return (await env.api.request('GET', '/emulator/metrics')) as unknown as HostMetrics;
}

function breakdown(wave: number, m: HostMetrics, requests: number): string {
  const { roundTrips: trips } = m.storage;
  const per = (n: number, d: number) => (d === 0 ? '0' : (n / d).toFixed(1));
  const gate = m.requests.limit && m.requests.shared ? `${m.requests.limit} at once, apps sharing` : 'not held';
  return [
    `${wave}     storage round trips: ${trips.api} for ${requests} API requests (${per(trips.api, requests)} each), ${trips.background} in the background (${per(trips.background, CALLS)} per call)`,
    `      wait at the request gate (${gate}): ${per(m.requests.waitedMs, m.requests.entered)} ms per request, at most ${m.requests.maxWaiting} waiting`,
    `      wait for the storage pool (background ${m.storage.backgroundLimit || 'unbounded'}): ${per(m.storage.backgroundWaitedMs, trips.background)} ms per background round trip, at most ${m.storage.maxWaiting} waiting`,
    `      event loop delay p50 ${m.eventLoopDelayMs.p50} ms, p99 ${m.eventLoopDelayMs.p99} ms, max ${m.eventLoopDelayMs.max} ms; ${m.signing.count} tokens signed, ${per(m.signing.ms, m.signing.count)} ms each`,
  ].join('\n');
}
