import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TableClient } from '@azure/data-tables';
import { loadConfig, STORAGE_CONNECTION, type Config } from '../src/config';
import { notificationSigner } from '../src/notify/signing';
import { storageAccount } from '../src/store/connection';
import { provisionStorage } from '../src/store/provision';
import { ownerConflict, readOwner, recordOwner } from '../src/store/storage-owner';
import { choosePorts, DEFAULT_AZURITE_PORTS, startAzurite, type RunningAzurite } from './azurite';
import { startHost } from './host/host';
import type { RegisteredFunction } from './host/registry';
import { stopOnSignals } from './host/lifecycle';
import { localHttps, parseHttpsPort, type LocalHttps } from './https/local-https';
import { assertPortFree } from './ports';
import { projectRoot } from './project-root';
import { applyProjectSettings } from './project-settings';
import { lockDataFolder } from './service-lock';

/**
 * `npm start`: the whole service on one machine. Reads local.settings.json (or the committed
 * example), starts Azurite from node_modules unless the storage settings point at a reachable
 * account, creates the table and queues, and runs the local Functions host.
 *   --in-memory      keep no Azurite data (by default it lives in .azurite/ and survives restarts)
 *   --data <folder>  keep Azurite's data there instead of .azurite/
 * Ctrl-C or SIGTERM stops the host (in-flight work finishes), then Azurite, which saves its data
 * as it stops: every write answered before the signal is there after the next start.
 * It serves HTTPS beside HTTP (HTTPS_PORT, default 7443) with a certificate from the local CA in
 * .local/ca/, which --in-memory keeps too: trusting it once is enough.
 */
const STORAGE_SETTINGS = ['AzureWebJobsStorage', STORAGE_CONNECTION] as const;
const REACHABLE_TIMEOUT_MS = 5000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'in-memory': { type: 'boolean', default: false }, data: { type: 'string' } } });
  const root = projectRoot();
  const settings = applyProjectSettings(root);
  if (settings) console.log(`Settings: ${path.relative(root, settings.file)}`);
  const env = process.env;
  // The app's connection follows the host's unless it names storage of its own: pointing
  // AzureWebJobsStorage somewhere real moves everything there.
  const ownAppStorage = env[`${STORAGE_CONNECTION}__accountName`] || !isDevelopmentStorage(env[STORAGE_CONNECTION]);
  if (!ownAppStorage && !isDevelopmentStorage(env['AzureWebJobsStorage'])) env[STORAGE_CONNECTION] = env['AzureWebJobsStorage'];
  if (!env[STORAGE_CONNECTION] && !env[`${STORAGE_CONNECTION}__accountName`]) env[STORAGE_CONNECTION] = env['AzureWebJobsStorage'];

  let azurite: RunningAzurite | undefined;
  const local = STORAGE_SETTINGS.filter((name) => isDevelopmentStorage(env[name]) && !env[`${name}__accountName`]);
  const location = local.length > 0 && !values['in-memory'] ? path.resolve(root, values.data ?? '.azurite') : undefined;
  const lock = location ? lockDataFolder(location) : undefined;
  const port = Number(env['PORT'] ?? settings?.localHttpPort ?? 7071);
  const httpsPort = parseHttpsPort(env['HTTPS_PORT']);
  await assertPortFree(port, 'PORT');
  if (httpsPort !== undefined && httpsPort !== 0) await assertPortFree(httpsPort, 'HTTPS_PORT');
  if (local.length > 0) {
    const { ports, moved } = await choosePorts();
    if (moved) {
      const defaults = Object.values(DEFAULT_AZURITE_PORTS).join('/');
      console.log(`Azurite's default ports (${defaults}) are in use; using ${ports.blob}/${ports.queue}/${ports.table} instead.`);
    }
    azurite = await startAzurite({ ports, ...(location && { location }) });
    for (const name of local) env[name] = azurite.connectionString;
    console.log(`Azurite: queue 127.0.0.1:${ports.queue}, table 127.0.0.1:${ports.table} (${location ? `data in ${path.relative(root, location) || '.'}/` : 'in memory'})`);
  }

  try {
    for (const name of STORAGE_SETTINGS) {
      if (!local.includes(name)) await assertReachable(name);
    }
    const cfg = loadConfig(env);
    const account = storageAccount(STORAGE_CONNECTION, env);
    await provisionStorage(account, cfg);
    await claimForLocalUse(account.table(cfg.tableName), cfg);
    const https = httpsPort === undefined ? undefined : await localHttps(root, httpsPort);
    const host = await startHost({ appRoot: root, port, ...(https && { https: https.listener }) });
    stopOnSignals(async () => {
      await host.stop();
      await azurite?.stop();
      lock?.release();
    });
    lock?.announce(host.url);
    console.log(banner(host.url, host.functions, https && host.httpsUrl ? { url: host.httpsUrl, trust: https } : undefined));
  } catch (error) {
    await azurite?.stop();
    lock?.release();
    throw error;
  }
}

function banner(url: string, functions: readonly RegisteredFunction[], tls?: { url: string; trust: LocalHttps }): string {
  const count = (type: string) => functions.filter((fn) => fn.trigger.type.toLowerCase() === type).length;
  const https = tls
    ? [
        `  HTTPS            ${tls.url}  (JS graph client: baseUrl ${tls.url}; C#, Kiota, REST: ${tls.url}/v1.0; see docs/clients.md)`,
        `  Trust its CA     ${tls.trust.trustLine}  (.NET, OS: docs/clients.md)`,
      ]
    : [];
  return [
    '',
    `Service ready at ${url}`,
    `  Console          ${url}/console  (every call live; play the caller)`,
    ...https,
    `  Graph base URL   ${tls?.url ?? url}/v1.0  (or /beta; http works too: ${url}/v1.0)`,
    `  Access token     npm run token -- --app-id <your bot's app id>`,
    `  Health           curl ${url}/health`,
    `  ${functions.length} functions: ${count('httptrigger')} HTTP, ${count('queuetrigger')} queue, ${count('timertrigger')} timer (node dist/tools/host/cli.js --describe lists them)`,
    '',
  ].join('\n');
}

/** One mode per storage: refuses storage a deployed fleet has marked as its own, else marks it local. */
async function claimForLocalUse(table: TableClient, cfg: Config): Promise<void> {
  const owner = await readOwner(table);
  const conflict = ownerConflict(owner, cfg.mode);
  if (conflict) throw new Error(conflict);
  const signingKeyId = String((await notificationSigner(cfg)).publicJwk.kid ?? '');
  if (owner?.mode !== cfg.mode || owner.signingKeyId !== signingKeyId) await recordOwner(table, { mode: cfg.mode, signingKeyId, since: Date.now() });
}

function isDevelopmentStorage(value: string | undefined): boolean {
  return !value || /UseDevelopmentStorage=true/i.test(value);
}

/** Storage given by the user must answer before we start; say which setting points where if not. */
async function assertReachable(setting: string): Promise<void> {
  const account = storageAccount(setting, process.env);
  try {
    await account.queue('reachability-probe').exists({ abortSignal: AbortSignal.timeout(REACHABLE_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`Storage in '${setting}' (${account.description}) is not reachable: ${(error as Error).message.split('\n')[0]}`);
  }
  console.log(`Storage: '${setting}' → ${account.description}`);
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
