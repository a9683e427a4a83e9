import { describe, expect, it } from 'vitest';
import { afterAnswer, afterFailure, Circuits, FAILURE_THRESHOLD } from '../../../src/notify/circuit';
import type { CircuitRecord } from '../../../src/store/circuit-row';
import type { CircuitStore } from '../../../src/store/circuits';
import { originOf } from '../../../src/notify/recipients';

const policy = { probeMs: 1000, maxProbeMs: 8000, claimMs: 3000 };
const ORIGIN = 'https://bot.example.com';

describe('a recipient circuit', () => {
  it(`opens after ${FAILURE_THRESHOLD} failures in a row, with its first probe one interval later`, () => {
    let record = afterFailure(undefined, ORIGIN, 'HTTP 503', 0, policy);
    for (let i = 2; i < FAILURE_THRESHOLD; i++) record = afterFailure(record, ORIGIN, 'HTTP 503', i, policy);
    expect(record).toMatchObject({ state: 'closed', failures: FAILURE_THRESHOLD - 1 });
    record = afterFailure(record, ORIGIN, 'no answer within 4000 ms', 100, policy);
    expect(record).toMatchObject({ state: 'open', openedAt: 100, probeAt: 1100, probes: 0, lastError: 'no answer within 4000 ms' });
  });

  it('waits twice as long after each failed probe, up to the maximum', () => {
    let record = { origin: ORIGIN, state: 'open' as const, failures: 3, openedAt: 0, probeAt: 1000, probes: 0, changedAt: 0 };
    const waits: number[] = [];
    for (let now = 10_000; now < 60_000; now += 10_000) {
      record = afterFailure(record, ORIGIN, 'HTTP 500', now, policy) as typeof record;
      waits.push((record.probeAt ?? 0) - now);
    }
    expect(waits).toEqual([2000, 4000, 8000, 8000, 8000]);
  });

  it('closes on any answer, and needs no write when it was closed with no failures', () => {
    const open = afterFailure(afterFailure(afterFailure(undefined, ORIGIN, 'x', 0, policy), ORIGIN, 'x', 0, policy), ORIGIN, 'x', 0, policy);
    expect(afterAnswer(open, 5)).toEqual({ origin: ORIGIN, state: 'closed', failures: 0, changedAt: 5 });
    expect(afterAnswer(afterFailure(undefined, ORIGIN, 'x', 0, policy), 5)).toMatchObject({ failures: 0 });
    expect(afterAnswer(undefined, 5)).toBeUndefined();
    expect(afterAnswer({ origin: ORIGIN, state: 'closed', failures: 0, changedAt: 0 }, 5)).toBeUndefined();
  });

  it('counts by origin: scheme, host and port', () => {
    expect(originOf('https://Bot.example.com/api/calls?x=1')).toBe('https://bot.example.com');
    expect(originOf('http://127.0.0.1:3978/a')).not.toBe(originOf('http://127.0.0.1:3979/a'));
  });
});

describe('an instance’s view of a circuit', () => {
  /** A circuit row another instance can change, and the reads this instance makes of it. */
  function sharedRow() {
    const row = { state: { origin: ORIGIN, state: 'closed' as const, failures: 0, changedAt: 0 } as CircuitRecord, reads: 0 };
    const store = {
      get: async () => {
        row.reads++;
        return { record: row.state, etag: String(row.reads) };
      },
      save: async () => 'etag',
    } as unknown as CircuitStore;
    return { row, circuits: new Circuits(store, policy) };
  }
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('the fast lane goes on its last view, refreshed behind it once a second old; another instance’s opening is seen on the next look', async () => {
    const { row, circuits } = sharedRow();
    expect(await circuits.view(ORIGIN, 0)).toMatchObject({ state: 'closed' });
    expect(row.reads).toBe(1);
    row.state = { origin: ORIGIN, state: 'open', failures: 3, openedAt: 500, probeAt: 5000, changedAt: 500 };
    expect(await circuits.view(ORIGIN, 900)).toMatchObject({ state: 'closed' });
    expect(row.reads).toBe(1);
    // A second on: this look still goes on the old view, and reads the row behind it, once.
    const [a, b] = await Promise.all([circuits.view(ORIGIN, 1000), circuits.view(ORIGIN, 1001)]);
    expect([a?.state, b?.state]).toEqual(['closed', 'closed']);
    await settled();
    expect(row.reads).toBe(2);
    expect(await circuits.view(ORIGIN, 1002)).toMatchObject({ state: 'open' });
  });

  it('the slow lane reads the row every time', async () => {
    const { row, circuits } = sharedRow();
    await circuits.current(ORIGIN, 0);
    await circuits.current(ORIGIN, 1);
    expect(row.reads).toBe(2);
  });
});
