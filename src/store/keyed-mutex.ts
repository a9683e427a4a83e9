/**
 * Runs async work one at a time per key, in arrival order. Within one process this lines up
 * changes to the same call, so they do not waste storage round trips losing ETag races to each
 * other; across processes the ETag still decides.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Whether work on `key` is running or waiting: what `run` would wait behind. */
  isBusy(key: string): boolean {
    return this.#tails.has(key);
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      // The last one out removes the key, so the map holds only calls with work in flight.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
