import { startBot, type ReceivedNotification } from '../bot/receiver';
import { BENCH_APP_ID, startEnvironment, startRecorder } from './environment';
import { fmt, Samples } from './stats';

/**
 * Fairness: a good bot's delivery latency (a caller's key press → the bot's receipt, 10 calls
 * pressing at once, 20 rounds), first alone, then while another bot that never answers has 30
 * calls whose callers keep pressing keys (each of its notifications waits the full POST timeout,
 * 4 s here, as the issue measured).
 */
const GOOD_CALLS = 10;
const ROUNDS = 20;
const HANGING_CALLS = 30;

export async function runFairnessBenchmark(): Promise<void> {
  const env = await startEnvironment({ NOTIFICATION_TIMEOUT_MS: '4000' });
  const waiters = new Map<string, (n: ReceivedNotification) => void>();
  const key = (callId: string, sequenceId: number) => `${callId}/${sequenceId}`;
  const good = await startBot({
    serviceUrl: env.host.url,
    appId: BENCH_APP_ID,
    onNotification: (n) => {
      const data = n.notification['resourceData'];
      if (data?.['toneInfo']) waiters.get(key(String(data['id']), Number(data['toneInfo']['sequenceId'])))?.(n);
    },
  });
  const hanging = await startRecorder(undefined, { hang: true });
  const subscribedCall = async (callbackUri: string) => {
    const id = await env.api.establishedCall(callbackUri);
    await env.api.action(id, 'subscribeToTone');
    return { id, next: 1 };
  };
  const measure = async (calls: { id: string; next: number }[]) => {
    const samples = new Samples();
    for (let round = -2; round < ROUNDS; round++) {
      const latencies = await Promise.all(
        calls.map(async (call) => {
          const sequenceId = call.next++;
          const arrived = new Promise<number>((resolve) => waiters.set(key(call.id, sequenceId), (n) => resolve(n.receivedAt)));
          const sent = Date.now();
          await env.api.pressTone(call.id, '5');
          return (await arrived) - sent;
        }),
      );
      if (round >= 0) latencies.forEach((ms) => samples.add(ms));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200)); // random: not in step with the polling
    }
    return samples;
  };

  let pressing = true;
  try {
    console.log(`\nfairness: a good bot's delivery latency, ms, alone and beside a bot that never answers (node ${process.version})\n`);
    const calls = await Promise.all(Array.from({ length: GOOD_CALLS }, () => subscribedCall(good.callbackUri)));
    const alone = await measure(calls);

    const stuck = await Promise.all(Array.from({ length: HANGING_CALLS }, () => subscribedCall(hanging.url)));
    // The hanging bot's callers keep pressing keys, so its notifications keep coming.
    const presses = (async () => {
      while (pressing) {
        await Promise.all(stuck.map((c) => env.api.pressTone(c.id, '1').catch(() => undefined)));
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    await new Promise((r) => setTimeout(r, 2000)); // its first notifications are in flight
    const beside = await measure(calls);
    pressing = false;
    await presses;

    console.log('scenario                               samples    p50     p99');
    const row = (label: string, s: Samples) => console.log(`${label.padEnd(38)} ${String(s.count).padStart(7)} ${fmt(s.percentile(50))} ${fmt(s.percentile(99))}`);
    row('good bot alone (baseline)', alone);
    row(`good bot, hanging bot on ${HANGING_CALLS} calls`, beside);
    console.log(`\np99 beside the hanging bot − baseline p99: ${(beside.percentile(99) - alone.percentile(99)).toFixed(0)} ms (goal ≤ 500 ms)`);
  } finally {
    pressing = false;
    hanging.close();
    await good.close();
    await env.stop();
  }
}
