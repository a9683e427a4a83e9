import Module from 'node:module';
import type { FunctionCallback, FunctionMetadata, FunctionRegistry, HookCallback } from './registry';

/**
 * `@azure/functions` registers functions through `require('@azure/functions-core')`, a module the
 * Azure Functions Node.js worker provides at run time. This host provides it instead, so the app's
 * own `app.http` / `app.storageQueue` / `app.timer` calls land in a FunctionRegistry.
 */
const CORE_MODULE = '@azure/functions-core';
const CACHE_KEY = `\0${CORE_MODULE}`;

/** Hooks the Azure worker runs that this host also runs; the rest are accepted and reported. */
export const SUPPORTED_HOOKS = new Set(['appStart', 'appTerminate']);

class Disposable {
  static from(...items: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  #onDispose: (() => unknown) | undefined;
  constructor(onDispose: () => unknown) {
    this.#onDispose = onDispose;
  }
  dispose(): unknown {
    const fn = this.#onDispose;
    this.#onDispose = undefined;
    return fn?.();
  }
}

type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type SystemLog = (level: LogLevel, message: string) => void;

export function createCoreApi(registry: FunctionRegistry, log: SystemLog, hostVersion: string) {
  let programmingModel: unknown;
  return {
    version: hostVersion,
    hostVersion,
    Disposable,
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
      registry.registerFunction(metadata, callback);
      return new Disposable(() => undefined);
    },
    registerHook(name: string, callback: HookCallback) {
      if (!SUPPORTED_HOOKS.has(name)) log('warning', `The local host does not run '${name}' hooks; the hook is ignored.`);
      return new Disposable(registry.registerHook(name, callback));
    },
    setProgrammingModel(model: unknown) {
      programmingModel = model;
    },
    getProgrammingModel() {
      return programmingModel;
    },
    log(level: LogLevel, _category: string, message: string) {
      log(level, message);
    },
  };
}

let installed = false;

/**
 * Makes `require('@azure/functions-core')` return `api` for the rest of this process. Must run
 * before the app (and so `@azure/functions`) is first required; a process hosts one app.
 */
export function provideCoreApi(api: object): void {
  if (installed) throw new Error(`${CORE_MODULE} is already provided in this process.`);
  installed = true;
  const mod = new Module(CACHE_KEY);
  mod.exports = api;
  mod.loaded = true;
  const internals = Module as unknown as {
    _cache: Record<string, Module>;
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  internals._cache[CACHE_KEY] = mod;
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === CORE_MODULE ? CACHE_KEY : resolve.call(this, request, ...rest);
  };
}
