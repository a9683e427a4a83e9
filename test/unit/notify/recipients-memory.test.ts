import { describe, expect, it } from 'vitest';
import { Circuits } from '../../../src/notify/circuit';
import { RECIPIENTS_REMEMBERED, RecipientLoad } from '../../../src/notify/recipients';
import type { CircuitStore } from '../../../src/store/circuits';

describe('what an instance remembers per recipient stays bounded', () => {
  it('promptness: a flood of callback origins keeps at most RECIPIENTS_REMEMBERED, the most recent', () => {
    const load = new RecipientLoad();
    for (let i = 0; i < RECIPIENTS_REMEMBERED * 3; i++) load.answered(`app https://bot-${i}.example`, 10, true);
    expect(load.remembered).toBe(RECIPIENTS_REMEMBERED);
    const latest = `app https://bot-${RECIPIENTS_REMEMBERED * 3 - 1}.example`;
    expect(load.isPrompt(latest, Date.now())).toBe(true);
    expect(load.isPrompt('app https://bot-0.example', Date.now())).toBe(false);
  });

  it('circuits read: cached for at most RECIPIENTS_REMEMBERED recipients', async () => {
    const store = { get: async () => undefined, save: async () => 'etag' } as unknown as CircuitStore;
    const circuits = new Circuits(store, { probeMs: 1000, maxProbeMs: 1000, claimMs: 1000 });
    for (let i = 0; i < RECIPIENTS_REMEMBERED * 2; i++) await circuits.view(`app https://bot-${i}.example`, 0);
    expect(circuits.cached).toBe(RECIPIENTS_REMEMBERED);
  });
});
