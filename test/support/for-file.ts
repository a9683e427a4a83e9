import { afterAll, beforeAll } from 'vitest';

/**
 * Something the calling test file starts before its tests and stops after them, read through the
 * returned handle (which is empty until the file's `beforeAll` has run): the one way a test file
 * gets its app, service or harness, instead of a `let` and two hooks in every file.
 */
export function forFile<T extends object>(start: () => Promise<T>, stop: (started: T) => Promise<void>): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started) await stop(started);
  });
  return new Proxy({} as T, {
    get(_, name) {
      if (!started) throw new Error(`The test file's ${String(name)} is read before its beforeAll has run.`);
      const value = Reflect.get(started, name, started) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
}
