import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_AZURITE_PORTS, exitWithParentPreload } from '../../tools/azurite';
import { freePort, isPortFree } from '../../tools/ports';
import { ROOT, runStartScript } from '../support/host-process';
import { isolatedSettings, provisioned } from '../support/storage';
import { readOwner, recordOwner } from '../../src/store/storage-owner';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphClient, promptBody, token } from '../support/graph';

// npm start in every way a user runs it. One file, so its tests run one after another: each start
// uses Azurite's default ports when they are free.

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
    // The banner names the console, and the console is there (built by npm run build).
    const consoleUrl = /Console +(http:\/\/\S+\/console)/.exec(service.output())?.[1];
    expect(consoleUrl).toBe(`${service.url}/console`);
    const page = await fetch(consoleUrl as string);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/console/console.js');
    expect((await fetch(`${service.url}/console/console.js`)).status).toBe(200);

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

  it('refuses storage a deployed fleet has marked as its own, in one line, and marks other storage as local', async () => {
    const settings = isolatedSettings();
    const { account, config } = await provisioned(settings);
    const table = account.table(config.tableName);
    await recordOwner(table, { mode: 'deployed', signingKeyId: 'fleet-key', since: Date.UTC(2026, 10, 1) });
    const refused = await runStartScript(settings).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toContain("start: this storage belongs to a deployed service (notifications signed with key 'fleet-key', since 2026-11-01T00:00:00.000Z); a local npm start must not use it.");

    const mine = isolatedSettings();
    const service = await runStartScript(mine);
    try {
      const { account: own, config: ownConfig } = await provisioned(mine);
      expect(await readOwner(own.table(ownConfig.tableName))).toMatchObject({ mode: 'local' });
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

describe('one npm start per data folder, one per port', () => {
  function onDevelopmentStorage(): Record<string, string> {
    const { CALLS_TABLE = '', MEDIA_CLOCK_QUEUE = '', NOTIFICATIONS_QUEUE = '' } = isolatedSettings();
    return { AzureWebJobsStorage: 'UseDevelopmentStorage=true', CallsStorage: '', CALLS_TABLE, MEDIA_CLOCK_QUEUE, NOTIFICATIONS_QUEUE };
  }

  it('refuses a second start on the same data folder, naming the first, before starting an Azurite', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'one-per-folder-'));
    folders.push(data);
    const env = onDevelopmentStorage();
    const first = await runStartScript(env, ['--data', data]);
    try {
      const refused = await runStartScript(env, ['--data', data]).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(refused).toContain(`start: another npm start (PID ${first.child.pid}, ${first.url}) is using the data folder ${data}; stop it first`);
      expect(refused).toContain('exited with 1');
      expect(refused).not.toContain('Azurite:');
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      expect(await first.stop('SIGINT')).toBe(0);
    }
  });

  it.each(['PORT', 'HTTPS_PORT'])('says in one sentence that %s is taken, before starting an Azurite', async (setting) => {
    const squatter = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const refused = await runStartScript({ ...onDevelopmentStorage(), [setting]: String(port) }, ['--in-memory']).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(refused).toContain(`start: port ${port} (${setting}) is in use, perhaps by another npm start; stop it, or set ${setting} to a free port`);
      expect(refused).not.toContain('Azurite:');
      expect(refused).not.toContain('EADDRINUSE');
    } finally {
      squatter.close();
    }
  });
});

/**
 * `npm start` with data on disk, stopped the way a terminal stops it: one signal to the whole
 * process group, right after a write. Every answered write must be there after the restart.
 */
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

async function start(data: string, env: Record<string, string>) {
  const port = await freePort();
  // Its own process group, as a terminal's foreground job is, so the test can signal all of it at once.
  const child = spawn(process.execPath, ['--require', exitWithParentPreload(), path.join(ROOT, 'dist/tools/start.js'), '--data', data], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...env, PORT: String(port), EXIT_WITH_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Service ready at')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`start exited with ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** Signals the whole group at once and waits for the start script to exit. */
    async signalGroup(signal: NodeJS.Signals) {
      process.kill(-(child.pid as number), signal);
      return exited;
    },
    output: () => output,
  };
}

describe.each(['SIGINT', 'SIGTERM'] as const)('npm start, data on disk, %s to the whole process group', (signal) => {
  it(
    'keeps every write answered before the signal',
    async () => {
      const data = mkdtempSync(path.join(os.tmpdir(), 'durability-'));
      folders.push(data);
      const { CALLS_TABLE = '', MEDIA_CLOCK_QUEUE = '', NOTIFICATIONS_QUEUE = '' } = isolatedSettings();
      const env = {
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        CallsStorage: '',
        CALLS_TABLE,
        MEDIA_CLOCK_QUEUE,
        NOTIFICATIONS_QUEUE,
        ESTABLISH_DELAY_MS: '0',
        PROMPT_DURATION_MS: '600000',
        'AzureWebJobs.notifications.Disabled': 'true',
      };
      const first = await start(data, env);
      const client = new GraphClient(first.url, await token());
      const call = await client.createCall();
      const callId = call['id'] as string;
      const played = await client.action(callId, 'playPrompt', promptBody('kept'));
      expect(played.res.status).toBe(200);
      // At once: well inside Azurite's 5-second save interval.
      expect(await first.signalGroup(signal)).toBe(0);

      const second = await start(data, env);
      try {
        const reader = new GraphClient(second.url, client.bearer);
        const stored = await reader.getCall(callId);
        expect(stored['id']).toBe(callId);
        const op = await reader.operation(callId, played.json['id'] as string);
        expect(op.res.status).toBe(200);
        expect(op.json['clientContext']).toBe('kept');
      } finally {
        expect(await second.signalGroup('SIGINT')).toBe(0);
      }
    },
    90_000,
  );
});
