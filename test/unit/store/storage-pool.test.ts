import { describe, expect, it } from 'vitest';
import { asApiWork, asBackgroundWork, StoragePool, workKind } from '../../../src/store/storage-pool';

/** A round trip that ends when the test says so. */
function pending() {
  let finish = () => undefined as void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the storage pool', () => {
  it('keeps at most its limit of background round trips in flight; the rest wait in order', async () => {
    const pool = new StoragePool(2);
    const trips = Array.from({ length: 4 }, pending);
    const started: number[] = [];
    const runs = trips.map((t, i) => asBackgroundWork(() => pool.run(async () => { started.push(i); await t.done; })));
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

  it('never holds back a request’s round trip, however busy background work keeps it, and counts each kind', async () => {
    const pool = new StoragePool(1);
    const busy = pending();
    const order: string[] = [];
    const first = asBackgroundWork(() => pool.run(() => busy.done));
    await tick();
    const background = asBackgroundWork(() => pool.run(async () => void order.push('background')));
    const requests = [1, 2, 3].map((i) => asApiWork(() => pool.run(async () => void order.push(`api${i}`))));
    await Promise.all(requests);
    expect(order).toEqual(['api1', 'api2', 'api3']);
    busy.finish();
    await Promise.all([first, background]);
    expect(pool.takeStats().roundTrips).toEqual({ api: 3, background: 2 });
  });

  it('knows the kind of work from the async context, background by default; a limit of 0 only counts', async () => {
    expect(workKind()).toBe('background');
    expect(await asApiWork(async () => { await tick(); return workKind(); })).toBe('api');
    const pool = new StoragePool(0);
    const trips = Array.from({ length: 50 }, pending);
    let inFlight = 0;
    const runs = trips.map((t) => pool.run(async () => { inFlight++; await t.done; }));
    await tick();
    expect(inFlight).toBe(50);
    trips.forEach((t) => t.finish());
    await Promise.all(runs);
  });
});
