import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { InvocationContext, InvocationContextInit } from '@azure/functions';
import type { HostLogger, WorkerLogLevel } from './logger';
import type { BindingInfo, RegisteredFunction } from './registry';

export type ContextConstructor = new (init: InvocationContextInit) => InvocationContext;

/**
 * Runs one invocation: builds the library's own InvocationContext (so `context.log`, triggerMetadata
 * and options look as they do under the Azure host) and calls the registered handler with the
 * trigger input followed by the context, which is how the worker calls v4 handlers.
 */
export async function invoke(
  fn: RegisteredFunction,
  input: unknown,
  triggerMetadata: Record<string, unknown> | undefined,
  deps: { InvocationContext: ContextConstructor; logger: HostLogger },
): Promise<unknown> {
  const name = fn.metadata.name;
  const context = new deps.InvocationContext({
    invocationId: randomUUID(),
    functionName: name,
    logHandler: (level, ...args) => deps.logger.log(level as WorkerLogLevel, `[${name}] ${format(...args)}`),
    ...(triggerMetadata && { triggerMetadata }),
    options: effectiveOptions(fn),
  });
  return await fn.handler(input, context);
}

function named(name: string, binding: BindingInfo) {
  return { ...binding, name } as BindingInfo & { name: string; type: string };
}

function effectiveOptions(fn: RegisteredFunction): InvocationContextInit['options'] {
  const others = Object.entries(fn.metadata.bindings).filter(([name]) => name !== fn.trigger.name && name !== '$return');
  const returnBinding = fn.metadata.bindings['$return'];
  return {
    trigger: named(fn.trigger.name, fn.trigger),
    ...(returnBinding && { return: named('$return', returnBinding) }),
    extraInputs: others.filter(([, b]) => b.direction === 'in').map(([n, b]) => named(n, b)),
    extraOutputs: others.filter(([, b]) => b.direction !== 'in').map(([n, b]) => named(n, b)),
  } as InvocationContextInit['options'];
}

/** Counts in-flight work so shutdown can wait for it. */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
    return work;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves true when everything in flight has finished, false if `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => (timer = setTimeout(resolve, remaining)));
      await Promise.race([Promise.all(this.#pending), timeout]);
      clearTimeout(timer);
    }
    return true;
  }
}
