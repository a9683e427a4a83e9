import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../../../tools/ports';
import { eventually } from '../../support/eventually';
import { ROOT, startHostProcess } from '../../support/host-process';
import { isolatedSettings } from '../../support/storage';

const APP = path.join(ROOT, 'test/fixtures/sample-app');

function fixtureEnv(tickSchedule: string): Record<string, string> {
  return { FixtureStorage: isolatedSettings().AzureWebJobsStorage ?? '', WORK_QUEUE: 'lifecycle-unused', TICK_SCHEDULE: tickSchedule };
}

describe('local host: timers and lifecycle', () => {
  it('runs appStart hooks and fires a timer on its NCRONTAB schedule with a Timer object', async () => {
    const host = await startHostProcess({ appRoot: APP, env: fixtureEnv('* * * * * *') });
    try {
      const { started, ticks } = await eventually(async () => {
        const body = (await (await fetch(`${host.url}/api/ticks`)).json()) as {
          started: boolean;
          ticks: { at: number; functionName: string; timer: { isPastDue: boolean; scheduleStatus: { next: string } } }[];
        };
        expect(body.ticks.length).toBeGreaterThanOrEqual(2);
        return body;
      });
      expect(started).toBe(true);
      const [first, second] = ticks;
      expect(first?.functionName).toBe('tick');
      expect(first?.timer.isPastDue).toBe(false);
      expect(Date.parse(first?.timer.scheduleStatus.next ?? '')).toBeGreaterThan(first?.at ?? Infinity);
      // Once a second: the second tick follows the first by about a second, not immediately.
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(500);
    } finally {
      await host.stop();
    }
  });

  it('on SIGTERM finishes in-flight requests, runs appTerminate, stops listening and exits 0', async () => {
    const host = await startHostProcess({ appRoot: APP, env: fixtureEnv('0 0 0 1 1 *') });
    const inFlight = fetch(`${host.url}/api/slow?ms=1500`);
    // The request is being handled (not merely sent) when the signal comes.
    await eventually(async () => expect(await (await fetch(`${host.url}/api/slow/inFlight`)).json()).toEqual({ sleeping: 1 }));
    const exitCode = host.stop('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slept 1500');
    expect(await exitCode).toBe(0);
    expect(host.output()).toContain('appTerminate hook ran');
    expect(await isPortFree(host.port)).toBe(true);
  });

  it('ends streamed responses when it stops, instead of waiting for them', async () => {
    const host = await startHostProcess({ appRoot: APP, env: fixtureEnv('0 0 0 1 1 *') });
    const res = await fetch(`${host.url}/api/stream?count=100000&every=100`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const started = Date.now();
    expect(await host.stop('SIGTERM')).toBe(0);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops the same way on SIGINT (Ctrl-C)', async () => {
    const host = await startHostProcess({ appRoot: APP, env: fixtureEnv('0 0 0 1 1 *') });
    expect(await host.stop('SIGINT')).toBe(0);
  });

  it('refuses to start with a clear message when a binding expression names a missing setting', async () => {
    const env = fixtureEnv('* * * * * *');
    await expect(startHostProcess({ appRoot: APP, env: { ...env, WORK_QUEUE: '' } })).rejects.toThrow(/'WORK_QUEUE'/);
  });
});
