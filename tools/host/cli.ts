#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadApp } from './app-loader';
import { describeFunction, startHost } from './host';
import { DEFAULT_SERVER_LIMITS } from './http-trigger';
import { localHttps, parseHttpsPort } from '../https/local-https';
import { consoleLogger } from './logger';
import { stopOnSignals } from './lifecycle';
import { applySettings, readLocalSettings } from './local-settings';

/**
 * The local Functions host, like `func start`:
 *   node dist/tools/host/cli.js [--app <dir>] [--port <n>] [--https-port <n|off>] [--max-request-body-bytes <n>] [--request-timeout-ms <n>]
 *   node dist/tools/host/cli.js --describe     prints the registrations as JSON and exits
 * The port comes from --port, else PORT, else local.settings.json Host.LocalHttpPort, else 7071.
 * The HTTPS port from --https-port, else HTTPS_PORT, else 7443; its certificate comes from the
 * local CA (tools/https/local-ca.ts).
 */
const USAGE = 'usage: host [--app <dir>] [--port <n>] [--https-port <n|off>] [--max-request-body-bytes <n>] [--request-timeout-ms <n>] [--describe]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: '.' },
      port: { type: 'string' },
      'https-port': { type: 'string' },
      'max-request-body-bytes': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      describe: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const appRoot = path.resolve(values.app);

  if (values.describe) {
    const { registry } = loadApp(appRoot, consoleLogger('Warning'));
    const functions = registry.functions.map((fn) => ({ name: fn.metadata.name, bindings: fn.metadata.bindings }));
    process.stdout.write(`${JSON.stringify(functions, null, 2)}\n`);
    return;
  }

  const settings = readLocalSettings(path.join(appRoot, 'local.settings.json'));
  if (settings) applySettings(settings.values);
  const port = Number(values.port ?? process.env['PORT'] ?? settings?.localHttpPort ?? 7071);
  const maxBody = values['max-request-body-bytes'];
  const requestTimeout = values['request-timeout-ms'];
  // A shorter request timeout (tests) also shortens the header timeout, which may not exceed it.
  const limits = requestTimeout !== undefined ? { requestTimeoutMs: Number(requestTimeout), headersTimeoutMs: Math.min(DEFAULT_SERVER_LIMITS.headersTimeoutMs, Number(requestTimeout)), checkIntervalMs: 250 } : undefined;
  const httpsPort = parseHttpsPort(values['https-port'] ?? process.env['HTTPS_PORT']);
  const https = httpsPort === undefined ? undefined : await localHttps(appRoot, httpsPort);
  const host = await startHost({
    appRoot,
    port,
    ...(https && { https: https.listener }),
    ...(maxBody !== undefined && { maxRequestBodyBytes: Number(maxBody) }),
    ...(limits && { limits }),
  });

  stopOnSignals(host.stop);
  const lines = host.functions.map((fn) => `  ${describeFunction(fn, host)}`);
  const tls = host.httpsUrl && https ? ` and ${host.httpsUrl} (trust: ${https.trustLine})` : '';
  console.log(`Functions:\n${lines.join('\n')}\n\nHost listening on ${host.url}${tls}`);
}

main().catch((error: unknown) => {
  console.error(`host: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
