import { describe, expect, it } from 'vitest';
import { FairGate, SHARING_WINDOW_MS } from '../../../src/store/fair-gate';

/** A request that ends when the test says so. */
function pending() {
  let finish = () => undefined as void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A gate another app has just come through, so apps share it and its limit holds. */
async function sharedGate(limit: number): Promise<FairGate> {
  const gate = new FairGate(limit);
  await gate.run('another app', async () => undefined);
  return gate;
}

describe('the request gate', () => {
  it('lets at most its limit in while apps share it; the rest wait in order', async () => {
    const gate = await sharedGate(2);
    const requests = Array.from({ length: 4 }, pending);
    const started: number[] = [];
    const runs = requests.map((r, i) => gate.run('app', async () => { started.push(i); await r.done; }));
    await tick();
    expect(gate.shared).toBe(true);
    expect(started).toEqual([0, 1]);
    requests[1]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    requests.forEach((r) => r.finish());
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(gate.takeStats()).toMatchObject({ entered: 5, maxWaiting: 2 });
  });

  it('serves waiting requests app by app: one app’s flood does not hold another app’s request behind all of it', async () => {
    const gate = await sharedGate(1);
    const busy = pending();
    const order: string[] = [];
    const first = gate.run('flood', () => busy.done);
    await tick();
    const flood = [1, 2, 3].map((i) => gate.run('flood', async () => void order.push(`flood${i}`)));
    const other = gate.run('other', async () => void order.push('other'));
    await tick();
    busy.finish();
    await Promise.all([first, ...flood, other]);
    expect(order).toEqual(['flood1', 'other', 'flood2', 'flood3']);
  });

  it('does not hold one app alone: its requests would only wait behind its own', async () => {
    const gate = new FairGate(2);
    const requests = Array.from({ length: 10 }, pending);
    let inside = 0;
    const runs = requests.map((r) => gate.run('alone', async () => { inside++; await r.done; }));
    await tick();
    expect(gate.shared).toBe(false);
    expect(inside).toBe(10);
    requests.forEach((r) => r.finish());
    await Promise.all(runs);
  });

  it('holds as soon as a second app comes, and no longer once it has been quiet for the sharing window', async () => {
    let now = 0;
    const gate = new FairGate(1, { now: () => now });
    const request = (app: string) => gate.run(app, async () => undefined);
    await request('first');
    expect(gate.shared).toBe(false);
    now += 1000;
    await request('second');
    expect(gate.shared).toBe(true);
    now += SHARING_WINDOW_MS - 1000;
    await request('first');
    expect(gate.shared).toBe(true);
    now += 1001;
    await request('first');
    expect(gate.shared).toBe(false);
  });

  it('with a limit of 0 never holds anyone', async () => {
    const gate = await sharedGate(0);
    const requests = Array.from({ length: 5 }, pending);
    let inside = 0;
    const runs = requests.map((r, i) => gate.run(`app${i}`, async () => { inside++; await r.done; }));
    await tick();
    expect(inside).toBe(5);
    requests.forEach((r) => r.finish());
    await Promise.all(runs);
  });
});
