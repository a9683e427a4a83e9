import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { createCoreApi, provideCoreApi } from './core-api';
import type { HostLogger } from './logger';
import { FunctionRegistry } from './registry';

export const HOST_VERSION = '4.0.0-local';

export interface LoadedApp {
  readonly registry: FunctionRegistry;
  /** `require` as seen from the app, so the host uses the app's own copy of `@azure/functions`. */
  readonly appRequire: NodeJS.Require;
  readonly files: readonly string[];
}

/**
 * Loads an app the way the Node.js worker does: provide `@azure/functions-core`, then require every
 * file that `package.json#main` names (a glob is allowed), in a stable order.
 */
export function loadApp(appRoot: string, logger: HostLogger): LoadedApp {
  const packageFile = path.join(appRoot, 'package.json');
  const pkg = JSON.parse(readFileSync(packageFile, 'utf8')) as { main?: unknown };
  const main = typeof pkg.main === 'string' && pkg.main !== '' ? pkg.main : 'index.js';
  const files = globSync(main, { cwd: appRoot, absolute: true }).sort();
  if (files.length === 0) {
    throw new Error(`package.json#main '${main}' matches no files in ${appRoot}; build the app first (npm run build).`);
  }

  const registry = new FunctionRegistry();
  provideCoreApi(createCoreApi(registry, (level, message) => logger.log(level, message), HOST_VERSION));
  const appRequire = createRequire(packageFile);
  for (const file of files) appRequire(file);
  return { registry, appRequire, files };
}
