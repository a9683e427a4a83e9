import type { AddressInfo, Server } from 'node:net';
import { isFunctionDisabled } from '../../src/config';
import { storageAccount } from '../../src/store/connection';
import { readHostConfig, type HostConfig } from './host-config';
import { buildRoutes, type HttpLibrary } from './http-dispatch';
import { createHttpServer, type HttpTriggerDeps, type ServerLimits } from './http-trigger';
import { createHttpsServer, type HttpsListener } from './https';
import { InFlight } from './invocation';
import { consoleLogger, type HostLogger } from './logger';
import { loadApp } from './app-loader';
import { resolveBindingExpression } from './local-settings';
import { QueueListener } from './queue-trigger';
import type { RegisteredFunction } from './registry';
import { TimerSchedule } from './timer-trigger';

/** The Functions host's own limit on request bodies (100 MB). */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 100 * 1024 * 1024;

/**
 * The largest request body the host takes, as the Azure host reads it: the app setting
 * FUNCTIONS_REQUEST_BODY_SIZE_LIMIT (bytes), else 100 MiB. A larger one is answered 413 before it
 * is read (at once when Content-Length declares it), so before the app or its token checks run.
 */
export function requestBodyLimit(env: NodeJS.ProcessEnv): number {
  const limit = Number(env['FUNCTIONS_REQUEST_BODY_SIZE_LIMIT']);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_MAX_REQUEST_BODY_BYTES;
}
const SHUTDOWN_GRACE_MS = 30_000;
const SUPPORTED_TRIGGERS = new Set(['httptrigger', 'queuetrigger', 'timertrigger']);

export interface HostOptions {
  readonly appRoot: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly hostname?: string;
  /** Also serve the routes over TLS with this certificate. */
  readonly https?: HttpsListener;
  readonly maxRequestBodyBytes?: number;
  readonly logger?: HostLogger;
  readonly limits?: Partial<ServerLimits>;
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  /** The TLS listener's base URL, when `https` was given. */
  readonly httpsUrl?: string;
  readonly functions: readonly RegisteredFunction[];
  readonly config: HostConfig;
  /** Stops taking work, lets in-flight invocations finish, runs appTerminate hooks. */
  stop(): Promise<void>;
}

/**
 * A local Azure Functions host for one app: serves its HTTP triggers, polls its queue triggers and
 * runs its timer triggers, from the same registrations the Azure host loads. Settings come from the
 * environment, which the caller has already filled (see local-settings.ts).
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const config = readHostConfig(options.appRoot);
  const logger = options.logger ?? consoleLogger(config.logLevel);
  const { registry, appRequire } = loadApp(options.appRoot, logger);
  const library = appRequire('@azure/functions') as HttpLibrary;
  const functions = registry.functions.filter((fn) => !isFunctionDisabled(fn.metadata.name, process.env));
  for (const fn of functions) {
    if (!SUPPORTED_TRIGGERS.has(fn.trigger.type.toLowerCase())) {
      throw new Error(`Function '${fn.metadata.name}' uses a '${fn.trigger.type}', which the local host does not run (it runs HTTP, queue and timer triggers).`);
    }
  }

  const inFlight = new InFlight();
  let stopping = false;
  const stopStreams = new AbortController();
  const appHookData = {};
  await registry.runHooks('appStart', { hookData: {}, appHookData, functionAppDirectory: options.appRoot });

  const deps: HttpTriggerDeps = {
    routes: buildRoutes(functions, config.routePrefix),
    library,
    logger,
    inFlight,
    maxRequestBodyBytes: options.maxRequestBodyBytes ?? requestBodyLimit(process.env),
    isStopping: () => stopping,
    stopSignal: stopStreams.signal,
    ...(options.limits && { limits: options.limits }),
  };
  const server = createHttpServer(deps);
  const hostname = options.hostname ?? '127.0.0.1';
  const port = await listen(server, options.port, hostname);
  const tlsServer = options.https && createHttpsServer(deps, options.https);
  // A taken HTTPS port fails the start, as a taken HTTP port does; the HTTP listener goes too.
  const httpsPort = tlsServer && (await listen(tlsServer, options.https.port, hostname).catch((error: unknown) => {
    server.close();
    throw error;
  }));

  const listeners = functions
    .filter((fn) => fn.trigger.type.toLowerCase() === 'queuetrigger')
    .map((fn) => {
      const queueName = resolveBindingExpression(String(fn.trigger['queueName']));
      const account = storageAccount(String(fn.trigger['connection'] ?? 'AzureWebJobsStorage'), process.env);
      return new QueueListener(fn, {
        queue: account.queue(queueName),
        poison: account.queue(`${queueName}-poison`),
        settings: config.queues,
        InvocationContext: library.InvocationContext,
        logger,
        inFlight,
      });
    });
  const timers = functions
    .filter((fn) => fn.trigger.type.toLowerCase() === 'timertrigger')
    .map(
      (fn) =>
        new TimerSchedule(fn, resolveBindingExpression(String(fn.trigger['schedule'])), {
          InvocationContext: library.InvocationContext,
          logger,
          inFlight,
          timeZone: process.env['WEBSITE_TIME_ZONE'] || 'UTC',
        }),
    );
  listeners.forEach((l) => l.start());
  timers.forEach((t) => t.start());

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      stopStreams.abort();
      const servers = tlsServer ? [server, tlsServer] : [server];
      servers.forEach((s) => {
        s.close();
        s.closeIdleConnections();
      });
      timers.forEach((t) => t.stop());
      await Promise.all(listeners.map((l) => l.stop()));
      if (!(await inFlight.drain(SHUTDOWN_GRACE_MS))) {
        logger.log('warning', `Stopped waiting for ${inFlight.size} invocation(s) after ${SHUTDOWN_GRACE_MS / 1000}s.`);
      }
      servers.forEach((s) => s.closeAllConnections());
      await registry.runHooks('appTerminate', { hookData: {}, appHookData });
    })());

  return { url: `http://${hostname}:${port}`, port, ...(httpsPort !== undefined && { httpsUrl: `https://${hostname}:${httpsPort}` }), functions, config, stop };
}

function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** One line per function, as Core Tools prints them at start-up. */
export function describeFunction(fn: RegisteredFunction, host: { url: string; config: HostConfig }): string {
  const t = fn.trigger;
  switch (t.type.toLowerCase()) {
    case 'httptrigger': {
      const methods = Array.isArray(t['methods']) ? (t['methods'] as string[]).join(',') : 'ALL';
      const route = typeof t['route'] === 'string' ? t['route'] : fn.metadata.name;
      const prefix = host.config.routePrefix ? `/${host.config.routePrefix.replace(/^\/|\/$/g, '')}` : '';
      return `${fn.metadata.name}: [${methods}] ${host.url}${prefix}/${route.replace(/^\//, '')}`;
    }
    case 'queuetrigger':
      return `${fn.metadata.name}: queueTrigger ${String(t['queueName'])}`;
    default:
      return `${fn.metadata.name}: timerTrigger ${String(t['schedule'])}`;
  }
}
