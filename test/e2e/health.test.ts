import { describe, expect, it } from 'vitest';
import { freePort } from '../../tools/ports';
import { startHostProcess } from '../support/host-process';
import { isolatedSettings, provisioned } from '../support/storage';
import { azuriteConnectionString } from '../../tools/azurite';
import { callBody, token } from '../support/graph';
import { graphError } from '../support/http';

describe('GET /health through the local host', () => {
  it('answers 200 when the calls table is reachable', async () => {
    const settings = isolatedSettings();
    await provisioned(settings);
    const host = await startHostProcess({ env: settings });
    try {
      const res = await fetch(`${host.url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.json()).toEqual({ status: 'ok', storage: { table: settings.CALLS_TABLE, reachable: true } });
      // Beside it, the app's catch-all takes what no route does, through the host's own routing.
      const unknown = await fetch(`${host.url}/v1.0/communications/nothing`);
      expect(unknown.status).toBe(404);
      expect((await graphError(unknown)).code).toBe('NotFound');
      const wrongMethod = await fetch(`${host.url}/health`, { method: 'POST' });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('GET');
    } finally {
      await host.stop();
    }
  });

  it('answers a Graph-shaped 503, quickly, when storage is down, on health and on Graph routes', async () => {
    const nowhere = azuriteConnectionString({ blob: await freePort(), queue: await freePort(), table: await freePort() });
    const host = await startHostProcess({ env: { ...isolatedSettings(), AzureWebJobsStorage: nowhere, CallsStorage: nowhere } });
    try {
      const started = Date.now();
      const res = await fetch(`${host.url}/health`);
      expect(res.status).toBe(503);
      const error = await graphError(res);
      expect(error.code).toBe('serviceNotAvailable');
      expect(error.message).toMatch(/Table 'calls\w+' is not reachable/);
      expect(Date.now() - started).toBeLessThan(10_000);

      const create = await fetch(`${host.url}/v1.0/communications/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(callBody()),
      });
      expect(create.status).toBe(503);
      expect(create.headers.get('retry-after')).toBe('5');
      expect((await graphError(create)).code).toBe('serviceNotAvailable');
    } finally {
      await host.stop();
    }
  });
});
