import { describe, expect, it } from 'vitest';
import { asApiWork, asBackgroundWork, SHARING_WINDOW_MS, StoragePool, workKind } from '../../../src/store/storage-pool';

/** A round trip that ends when the test says so. */
function pending() {
  let finish = () => undefined as void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A pool another app has just used, so requests share it and its API bound holds. */
async function sharedPool(limits: ConstructorParameters<typeof StoragePool>[0], now?: () => number): Promise<StoragePool> {
  const pool = new StoragePool(limits, now);
  await asApiWork(() => pool.run(async () => undefined), 'another app');
  return pool;
}

describe('the storage pool', () => {
  it('keeps at most `size` round trips in flight while apps share it; the rest wait in order', async () => {
    const pool = await sharedPool({ api: 2, background: 2 });
    const trips = Array.from({ length: 4 }, pending);
    const started: number[] = [];
    const runs = trips.map((t, i) => asApiWork(() => pool.run(async () => { started.push(i); await t.done; })));
    await tick();
    expect(started).toEqual([0, 1]);
    trips[1]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    trips[0]!.finish();
    trips[2]!.finish();
    trips[3]!.finish();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('lets a waiting request go before waiting background work, and counts each kind', async () => {
    const pool = new StoragePool({ api: 1, background: 1 });
    const busy = pending();
    const order: string[] = [];
    const first = asBackgroundWork(() => pool.run(() => busy.done));
    await tick();
    const background = asBackgroundWork(() => pool.run(async () => void order.push('background')));
    const request = asApiWork(() => pool.run(async () => void order.push('api')));
    await tick();
    busy.finish();
    await Promise.all([first, background, request]);
    expect(order).toEqual(['api', 'background']);
    expect(pool.takeStats().roundTrips).toEqual({ api: 1, background: 2 });
  });

  it('knows the kind of work from the async context, background by default; size 0 only counts', async () => {
    expect(workKind()).toBe('background');
    expect(await asApiWork(async () => { await tick(); return workKind(); })).toBe('api');
    const pool = new StoragePool({ api: 0, background: 0 });
    const trips = Array.from({ length: 50 }, pending);
    let inFlight = 0;
    const runs = trips.map((t) => pool.run(async () => { inFlight++; await t.done; }));
    await tick();
    expect(inFlight).toBe(50);
    trips.forEach((t) => t.finish());
    await Promise.all(runs);
  });

  it('bounds background work on its own, and holds it back while requests wait', async () => {
    const pool = new StoragePool({ api: 1, background: 2 });
    const trips = Array.from({ length: 4 }, pending);
    const started: string[] = [];
    const bg = [0, 1, 2].map((i) => asBackgroundWork(() => pool.run(async () => { started.push(`bg${i}`); await trips[i]!.done; })));
    await tick();
    expect(started).toEqual(['bg0', 'bg1']);
    const api = asApiWork(() => pool.run(async () => { started.push('api'); await trips[3]!.done; }));
    await tick();
    expect(started).toEqual(['bg0', 'bg1', 'api']);
    trips[0]!.finish();
    await tick();
    expect(started).toEqual(['bg0', 'bg1', 'api', 'bg2']);
    trips.forEach((t) => t.finish());
    await Promise.all([...bg, api]);
  });

  it('serves waiting requests app by app: one app’s flood does not hold another app’s request behind all of it', async () => {
    const pool = await sharedPool({ api: 1, background: 1 });
    const busy = pending();
    const order: string[] = [];
    const first = asApiWork(() => pool.run(() => busy.done), 'flood');
    await tick();
    const flood = [1, 2, 3].map((i) => asApiWork(() => pool.run(async () => void order.push(`flood${i}`)), 'flood'));
    const other = asApiWork(() => pool.run(async () => void order.push('other')), 'other');
    await tick();
    busy.finish();
    await Promise.all([first, ...flood, other]);
    expect(order).toEqual(['flood1', 'other', 'flood2', 'flood3']);
  });

  it('does not bound one app alone: its requests would only wait behind its own', async () => {
    const pool = new StoragePool({ api: 2, background: 2 });
    const trips = Array.from({ length: 10 }, pending);
    let inFlight = 0;
    const runs = trips.map((t) => asApiWork(() => pool.run(async () => { inFlight++; await t.done; }), 'alone'));
    await tick();
    expect(pool.shared).toBe(false);
    expect(inFlight).toBe(10);
    trips.forEach((t) => t.finish());
    await Promise.all(runs);
  });

  it('bounds requests as soon as a second app comes, and no longer once it has been quiet for the sharing window', async () => {
    let now = 0;
    const pool = new StoragePool({ api: 1, background: 1 }, () => now);
    const trip = (app: string) => asApiWork(() => pool.run(async () => undefined), app);
    await trip('first');
    expect(pool.shared).toBe(false);
    now += 1000;
    await trip('second');
    expect(pool.shared).toBe(true);
    now += SHARING_WINDOW_MS - 1000;
    await trip('first');
    expect(pool.shared).toBe(true);
    now += 1001;
    await trip('first');
    expect(pool.shared).toBe(false);
  });
});
