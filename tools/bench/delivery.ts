import { randomUUID } from 'node:crypto';
import { DEFAULT_LOCAL_TENANT } from '../../src/auth/tokens';
import type { CommsNotification } from '../../src/graph/notifications';
import { post } from '../../src/notify/deliver';
import { notificationSigner } from '../../src/notify/signing';
import { MessageQueue } from '../../src/store/message-queue';
import { startBot, type ReceivedNotification } from '../bot/receiver';
import { BENCH_APP_ID, startEnvironment } from './environment';
import { fmt, ratio, Samples } from './stats';

/**
 * Notification delivery latency: from the request that changes a call (a caller's key press, with
 * a tone subscription) to the bot's receipt of the notification, through the real path (commit with
 * outbox row, notifications queue, drain, signed POST, token validated by the bot). The floor is
 * the bare mechanism with the same SDK and the same bot: send a queue message, receive it in a
 * tight loop, delete it, POST once.
 */
export async function runDeliveryBenchmark(): Promise<void> {
  const env = await startEnvironment();
  const waiters = new Map<string, (n: ReceivedNotification) => void>();
  let lastTone: CommsNotification | undefined;
  const key = (callId: string, sequenceId: number) => `${callId}/${sequenceId}`;
  const bot = await startBot({
    serviceUrl: env.host.url,
    appId: BENCH_APP_ID,
    onNotification: (n) => {
      const data = n.notification['resourceData'];
      if (data?.['toneInfo']) lastTone = n.notification as CommsNotification;
      if (data?.['toneInfo']) waiters.get(key(String(data['id']), Number(data['toneInfo']['sequenceId'])))?.(n);
    },
  });
  const arrival = (callId: string, sequenceId: number) =>
    new Promise<number>((resolve) => waiters.set(key(callId, sequenceId), (n) => resolve(n.receivedAt)));

  const subscribedCall = async () => {
    const id = await env.api.establishedCall(bot.callbackUri);
    await env.api.action(id, 'subscribeToTone');
    return { id, next: 1 };
  };
  /** One key press; resolves with its delivery latency. */
  const press = async (call: { id: string; next: number }, sent = Date.now()) => {
    const arrived = arrival(call.id, call.next++);
    await env.api.pressTone(call.id, '5');
    return (await arrived) - sent;
  };

  try {
    console.log(`\nnotification delivery latency, ms: state change → bot receipt (local host + Azurite; node ${process.version})\n`);
    console.log('scenario                         samples    p50     p99   floor p50    p99   ratio p50    p99');
    // The floor posts a notification the service sent, so its body is the same size.
    const template = await subscribedCall();
    const pressed = await press(template);
    const sample = lastTone ?? (() => { throw new Error(`no tone arrived (${pressed} ms)`); })();
    // One floor paced as the single changes are, one back to back as the concurrent rows run.
    const pacedFloor = await measureFloor(env, bot.callbackUri, sample, true);
    const backToBack = await measureFloor(env, bot.callbackUri, sample, false);
    const row = (label: string, s: Samples, floor = backToBack) =>
      console.log(`${label.padEnd(32)} ${String(s.count).padStart(7)} ${fmt(s.percentile(50))} ${fmt(s.percentile(99))}  ${fmt(floor.percentile(50))} ${fmt(floor.percentile(99))}   ${ratio(s.percentile(50), floor.percentile(50))} ${ratio(s.percentile(99), floor.percentile(99))}`);

    // One change at a time: the service idles between them, as a bot under test mostly does.
    const single = new Samples();
    const call = await subscribedCall();
    for (let i = -5; i < 100; i++) {
      const ms = await press(call);
      if (i >= 0) single.add(ms);
      await pause();
    }
    row('one change at a time', single, pacedFloor);

    // Ten calls changing at once, twenty times.
    const spread = new Samples();
    const calls = await Promise.all(Array.from({ length: 10 }, () => subscribedCall()));
    for (let round = 0; round < 20; round++) {
      for (const ms of await Promise.all(calls.map((c) => press(c)))) spread.add(ms);
    }
    row('10 calls at once (x20)', spread);

    // A burst on one call: 100 changes sent together, committed one after another, delivered in order.
    const fromCommit = new Samples();
    const fromStart = new Samples();
    const busy = await subscribedCall();
    const arrivals = Array.from({ length: 100 }, (_, i) => arrival(busy.id, i + 1));
    const started = Date.now();
    const committed = new Map<number, number>();
    await Promise.all(Array.from({ length: 100 }, async () => committed.set(await env.api.pressTone(busy.id, '7'), Date.now())));
    (await Promise.all(arrivals)).forEach((at, i) => {
      fromCommit.add(at - (committed.get(i + 1) ?? started));
      fromStart.add(at - started);
    });
    row('burst of 100 on one call', fromCommit);
    row('  (from the burst’s start)', fromStart);

    console.log('\nfloor: outbox row written + sendMessage + row read + token signed + the same notification POSTed to the same validating bot');
    console.log('       + row deleted; same SDK, signer and HTTP client. Not in it: the lease, circuit state and delivery log writes.');
    console.log('       Paced as the single changes are (200–400 ms apart) for the first row; back to back for the others.');
    console.log('A bot that answers promptly is delivered to right after the commit (eager), as the floor is; the rest waits for a');
    console.log('poll of the queue, every host.json maxPollingInterval (100 ms) when idle, which the floor does not.');
  } finally {
    await bot.close();
    await env.stop();
  }
}

/**
 * Between single changes, on both sides: a random pause, since a fixed one falls into step with the
 * queue's polling and measures one phase of it. The floor pauses as the service does: round trips
 * after an idle pause are slower on these machines than back to back, for the floor as much.
 */
const pause = () => new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 200));

/**
 * The bare mechanism of the same work, with the same SDK, signer, HTTP client and bot: the outbox
 * row written (with the notification the service sent, so the same size), the delivery asked for
 * (a queue message), the row read back, a token signed, the notification POSTed to the validating
 * bot, the row deleted. Left out: the call row and the change's decision (the tone's transaction
 * writes it in the same round trip), the lease on the call's outbox, the circuit state, the
 * delivery log entry, and the queue poll the eager path does not wait for.
 */
async function measureFloor(env: Awaited<ReturnType<typeof startEnvironment>>, callbackUri: string, sample: CommsNotification, paced: boolean): Promise<Samples> {
  const table = env.account.table(env.config.tableName);
  const queue = new MessageQueue<{ callId: string }>(env.account.queue('bench-floor-delivery'));
  await queue.client.createIfNotExists();
  const signer = await notificationSigner(env.config);
  const partitionKey = `floor-${randomUUID()}`;
  const samples = new Samples();
  for (let i = -5; i < 100; i++) {
    const rowKey = `outbox-${String(i + 5).padStart(8, '0')}`;
    // Another call's id, so no waiter of the service's measurement takes the floor's POSTs.
    const notification = { ...sample, resourceUrl: `/communications/calls/${partitionKey}` };
    const started = performance.now();
    await table.createEntity({ partitionKey, rowKey, notifications: JSON.stringify([notification]) });
    await queue.send({ callId: partitionKey });
    const row = await table.getEntity<{ notifications: string }>(partitionKey, rowKey);
    const [stored] = JSON.parse(row.notifications) as CommsNotification[];
    const token = await signer.sign({ issuer: env.host.url, audience: BENCH_APP_ID, tenantId: DEFAULT_LOCAL_TENANT });
    const attempt = await post({ url: callbackUri, notification: stored as CommsNotification, notificationId: randomUUID(), token, timeoutMs: 10_000 });
    if (attempt.kind !== 'delivered') throw new Error(`the floor's POST was not delivered: ${JSON.stringify(attempt)}`);
    await table.deleteEntity(partitionKey, rowKey);
    if (i >= 0) samples.add(performance.now() - started);
    if (paced) await pause();
  }
  return samples;
}
