import { loadApp } from '../../tools/host/app-loader';
import { readHostConfig } from '../../tools/host/host-config';
import { buildRoutes, invokeRoute, matchRoute, type HttpLibrary } from '../../tools/host/http-dispatch';
import { InFlight } from '../../tools/host/invocation';
import { resolveBindingExpression } from '../../tools/host/local-settings';
import { consoleLogger, type HostLogger } from '../../tools/host/logger';
import { QueueListener } from '../../tools/host/queue-trigger';
import { storageAccount, type StorageAccount } from '../../src/store/connection';
import { forFile } from './for-file';
import { GraphClient, token } from './graph';
import { ROOT } from './host-process';
import { isolatedSettings, provisioned } from './storage';

/** What fetch takes, narrowed to what the tests send. */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface InProcessApp {
  /** Calls the app's registered HTTP handlers in this process; the URL's origin is only the request's. */
  readonly fetch: Fetch;
  readonly client: GraphClient;
  readonly settings: Record<string, string>;
  readonly table: ReturnType<StorageAccount['table']>;
  readonly account: StorageAccount;
  /** Stops the media clock. */
  stop(): Promise<void>;
}

/** The origin requests appear to come in on, as a bot would reach a local service. */
export const IN_PROCESS_ORIGIN = 'http://127.0.0.1:7071';

/** Errors only: a test's output shows what failed, not every request. */
const quiet: HostLogger = consoleLogger('Error');

let loaded: { readonly app: InProcessApp; readonly options: string } | undefined;

/**
 * The app in this test process: the same registrations the hosts load (package.json#main through
 * a provided `@azure/functions-core`), their HTTP handlers called with the library's public
 * HttpRequest / InvocationContext, against the run's Azurite on a table and queues of this file's
 * own. The media clock runs (its queue-triggered function, in this process too), so calls
 * establish; notifications are not delivered and stay in the outbox for tests to read. One app per
 * test file (a process hosts one app, and the app reads its settings once).
 */
export async function startInProcess(options: { env?: Record<string, string>; mediaClock?: boolean } = {}): Promise<InProcessApp> {
  const { env = {}, mediaClock: runClock = true } = options;
  const asked = JSON.stringify({ env, runClock });
  if (loaded) {
    // The app reads its settings once: a second call with other settings would silently get the first's.
    if (loaded.options !== asked) throw new Error(`startInProcess: this file already started the app with ${loaded.options}, not ${asked}`);
    return loaded.app;
  }
  // The notifications function is disabled, as a host would have it, so nothing delivers (not even eagerly).
  const settings = { ...isolatedSettings(), ESTABLISH_DELAY_MS: '0', PROMPT_DURATION_MS: '60000', 'AzureWebJobs.notifications.Disabled': 'true', ...env };
  Object.assign(process.env, settings);
  const { account, config } = await provisioned(settings);
  const { registry, appRequire } = loadApp(ROOT, quiet);
  const library = appRequire('@azure/functions') as HttpLibrary;
  const routes = buildRoutes(registry.functions, readHostConfig(ROOT).routePrefix);

  // The host's own dispatch: the same route table, precedence and invocation as over HTTP.
  const fetch: Fetch = async (url, init = {}) => {
    const target = new URL(url, IN_PROCESS_ORIGIN);
    const method = (init.method ?? 'GET').toUpperCase();
    const matched = matchRoute(routes, method, target.pathname);
    // As the Azure host answers what no function takes (the app's catch-all takes everything).
    if (!matched) return new Response(null, { status: 404 });
    const body = init.body === undefined || init.body === null ? Buffer.alloc(0) : Buffer.from(init.body as string | Uint8Array);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const { response } = await invokeRoute(matched, { method, url: target, headers, body }, { library, logger: quiet });
    const bytes = Buffer.from(await response.arrayBuffer());
    return new Response([204, 304].includes(response.status) ? null : bytes, { status: response.status, headers: response.headers });
  };

  const clock = registry.functions.find((fn) => fn.metadata.name === 'mediaClock');
  if (!clock) throw new Error('The app registers no mediaClock function.');
  const clockAccount = storageAccount(String(clock.trigger['connection']), process.env);
  const clockQueue = resolveBindingExpression(String(clock.trigger['queueName']));
  const mediaClock = new QueueListener(clock, {
    queue: clockAccount.queue(clockQueue),
    poison: clockAccount.queue(`${clockQueue}-poison`),
    settings: readHostConfig(ROOT).queues,
    InvocationContext: library.InvocationContext,
    logger: quiet,
    inFlight: new InFlight(),
  });
  if (runClock) mediaClock.start();

  const app: InProcessApp = {
    fetch,
    client: new GraphClient(IN_PROCESS_ORIGIN, await token(), undefined, fetch),
    settings,
    table: account.table(config.tableName),
    account,
    stop: () => mediaClock.stop(),
  };
  loaded = { app, options: asked };
  return app;
}

/** The in-process app of the calling test file: started before its tests, its media clock stopped after them. */
export function inProcessApp(options: Parameters<typeof startInProcess>[0] = {}): InProcessApp {
  return forFile(() => startInProcess(options), (app) => app.stop());
}
