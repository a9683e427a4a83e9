/** Latency samples in milliseconds, and the figures the benchmarks print. */
export class Samples {
  readonly #values: number[] = [];

  add(ms: number): void {
    this.#values.push(ms);
  }

  async time<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.add(performance.now() - started);
    return result;
  }

  get count(): number {
    return this.#values.length;
  }

  /** Nearest-rank percentile. */
  percentile(p: number): number {
    const sorted = [...this.#values].sort((a, b) => a - b);
    if (sorted.length === 0) return Number.NaN;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
  }
}

export function fmt(ms: number): string {
  return ms.toFixed(1).padStart(7);
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`.padStart(7);
}
