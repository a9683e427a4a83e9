import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AZURITE_PORTS } from '../../tools/azurite';
import { isPortFree } from '../../tools/ports';
import { runStartScript } from '../support/host-process';
import { isolatedSettings } from '../support/storage';

/** `npm start` is `npm run build && node dist/tools/start.js`; these run the second half. */
describe('npm start', () => {
  it('starts Azurite itself, serves the health route, and Ctrl-C stops everything', async () => {
    const { CALLS_TABLE = '', MEDIA_CLOCK_QUEUE = '', NOTIFICATIONS_QUEUE = '' } = isolatedSettings();
    const service = await runStartScript(
      { AzureWebJobsStorage: 'UseDevelopmentStorage=true', CallsStorage: '', CALLS_TABLE, MEDIA_CLOCK_QUEUE, NOTIFICATIONS_QUEUE },
      ['--in-memory'],
    );
    const azurite = /Azurite: queue 127\.0\.0\.1:(\d+), table 127\.0\.0\.1:(\d+) \(in memory\)/.exec(service.output());
    expect(azurite).not.toBeNull();
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);

    expect(await service.stop('SIGINT')).toBe(0);
    for (const port of [Number(azurite?.[1]), Number(azurite?.[2]), service.port]) expect(await isPortFree(port)).toBe(true);
  });

  it("picks free ports, and says so, when Azurite's default ports are taken", async () => {
    const squatter = net.createServer();
    // Take one default port (if something already has it, it is taken all the same).
    await new Promise<void>((resolve) => squatter.once('error', () => resolve()).listen(DEFAULT_AZURITE_PORTS.queue, '127.0.0.1', resolve));
    const { CALLS_TABLE = '', MEDIA_CLOCK_QUEUE = '', NOTIFICATIONS_QUEUE = '' } = isolatedSettings();
    try {
      const service = await runStartScript({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', CallsStorage: '', CALLS_TABLE, MEDIA_CLOCK_QUEUE, NOTIFICATIONS_QUEUE }, ['--in-memory']);
      expect(service.output()).toContain("Azurite's default ports (10000/10001/10002) are in use; using ");
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
      expect(await service.stop('SIGINT')).toBe(0);
    } finally {
      squatter.close();
    }
  });

  it('uses storage that the settings point at, and starts no Azurite', async () => {
    const settings = isolatedSettings();
    const service = await runStartScript(settings);
    try {
      expect(service.output()).toContain("Storage: 'AzureWebJobsStorage' → http://127.0.0.1:");
      expect(service.output()).not.toContain('Azurite:');
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      expect(await service.stop('SIGINT')).toBe(0);
    }
  });

  it('moves the app’s storage too when only AzureWebJobsStorage is pointed elsewhere', async () => {
    const { CallsStorage: _dev, ...settings } = isolatedSettings();
    const service = await runStartScript(settings);
    try {
      expect(service.output()).not.toContain('Azurite:');
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      expect(await service.stop('SIGINT')).toBe(0);
    }
  });

  it('refuses to start when the storage it is pointed at does not answer', async () => {
    const dead = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1';
    await expect(runStartScript({ ...isolatedSettings(), AzureWebJobsStorage: dead, CallsStorage: dead })).rejects.toThrow(
      /Storage in 'AzureWebJobsStorage' \(http:\/\/127\.0\.0\.1:9\/devstoreaccount1\) is not reachable/,
    );
  });
});
