import { newId } from '../../src/graph/ids';
import { MessageQueue } from '../../src/store/message-queue';
import { CALL_ROW, outboxRowKey } from '../../src/store/table-schema';
import { startEnvironment, startRecorder, type BenchEnvironment, type Recorded } from './environment';
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

  try {
    console.log(`\nwave: ${WAVES} × ${CALLS} concurrent calls (create, 3 × playPrompt, cancel, hang-up each), ms (node ${process.version})\n`);
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
      await Promise.all(ids.map((id) => reached(id, 'terminated')));
      const tail = lastTerminated - lastAnswer;
      for (const [kind, s] of Object.entries(kinds)) {
        console.log(`${String(wave).padEnd(5)} ${kind.padEnd(22)} ${String(s.count).padStart(9)} ${fmt(s.percentile(50))} ${fmt(s.percentile(99))}${kind === 'hangUp' ? `   ${tail.toFixed(0).padStart(8)}` : ''}`);
      }
      console.log(`${String(wave).padEnd(5)} ${'(floor: create)'.padEnd(22)} ${String(floor.count).padStart(9)} ${fmt(floor.percentile(50))} ${fmt(floor.percentile(99))}`);
      if (failures > 0) console.log(`      ${failures} call(s) had a failed request`);
    }
    console.log('\nfloor: the storage round trips of a create (queue send, one transaction of call row + outbox row, queue send),');
    console.log(`       ${CALLS} at once, from this process, just before the wave; same SDK, same Azurite.`);
    console.log('Goals: every request p99 ≤ 2000 ms; last notification ≤ 2000 ms after the last answer.');
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
