import { describe, expect, it } from 'vitest';
import { OTHER_APP, token } from '../support/graph';
import { startInProcess } from '../support/in-process';

/** What GET /emulator/metrics says of the request gate since the last read. */
interface GateMetrics {
  readonly limit: number;
  readonly shared: boolean;
  readonly entered: number;
  readonly maxWaiting: number;
}

describe('the request gate on Graph routes', () => {
  it('holds nobody while one app is alone, and holds requests beyond REQUEST_CONCURRENCY once another app comes', async () => {
    const svc = await startInProcess({ env: { REQUEST_CONCURRENCY: '1' } });
    const calls = svc.client;
    const gate = async () => ((await (await calls.with({ prefix: '' }).send('GET', '/emulator/metrics')).json()) as { requests: GateMetrics }).requests;
    // Any Graph request goes through the gate; a call that does not exist is the cheapest.
    const NO_CALL = '/00000000-0000-4000-8000-000000000000';
    const burst = () => Promise.all(Array.from({ length: 6 }, () => calls.send('GET', NO_CALL)));
    await gate();

    await burst();
    expect(await gate()).toMatchObject({ limit: 1, shared: false, maxWaiting: 0 });

    const other = calls.with({ bearer: await token({ appId: OTHER_APP }) });
    expect((await other.send('GET', NO_CALL)).status).toBe(404);
    await burst();
    const shared = await gate();
    expect(shared).toMatchObject({ limit: 1, shared: true });
    expect(shared.maxWaiting).toBeGreaterThan(0);
  });
});
