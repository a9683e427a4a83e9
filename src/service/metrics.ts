import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * What one process spent its time on, for the benchmarks' breakdown (GET /emulator/metrics, local
 * mode): how late its event loop ran, and how many notification tokens it signed and in how long.
 * Storage round trips are the storage pool's to count (store/storage-pool.ts).
 */
export class ProcessMetrics {
  #loop: IntervalHistogram | undefined;
  #signed = { count: 0, ms: 0 };

  signed(ms: number): void {
    this.#signed.count++;
    this.#signed.ms += ms;
  }

  /** The figures since the last call (which resets them); the event-loop monitor starts on the first call. */
  take(): { eventLoopDelayMs: { p50: number; p99: number; max: number }; signing: { count: number; ms: number } } {
    const loop = this.#loop;
    const toMs = (ns: number) => Math.round(ns / 1e4) / 100;
    const delay = loop && loop.count > 0 ? { p50: toMs(loop.percentile(50)), p99: toMs(loop.percentile(99)), max: toMs(loop.max) } : { p50: 0, p99: 0, max: 0 };
    if (loop) loop.reset();
    else {
      this.#loop = monitorEventLoopDelay({ resolution: 10 });
      this.#loop.enable();
    }
    const signing = { count: this.#signed.count, ms: Math.round(this.#signed.ms) };
    this.#signed = { count: 0, ms: 0 };
    return { eventLoopDelayMs: delay, signing };
  }
}
