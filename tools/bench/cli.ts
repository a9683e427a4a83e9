import { spawn } from 'node:child_process';
import { runCancelBenchmark } from './cancel';
import { runDeliveryBenchmark } from './delivery';
import { runFairnessBenchmark } from './fairness';
import { runMemoryBenchmark } from './memory';
import { runThroughputBenchmark } from './throughput';
import { runWaveBenchmark } from './wave';

/** `npm run bench [cancel|delivery|fairness|memory|throughput|wave]`: all by default. Each starts its own Azurite and host. */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  cancel: runCancelBenchmark,
  delivery: runDeliveryBenchmark,
  fairness: runFairnessBenchmark,
  memory: runMemoryBenchmark,
  throughput: runThroughputBenchmark,
  wave: runWaveBenchmark,
};

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  const names = chosen.length > 0 ? chosen : Object.keys(BENCHMARKS);
  if (names.length === 1) return BENCHMARKS[names[0] as string]?.();
  // Each in a process of its own: one benchmark's heap, sockets and JIT state do not weigh on the next one's figures.
  for (const name of names) {
    const code = await new Promise<number | null>((resolve) => spawn(process.execPath, [...process.execArgv, __filename, name], { stdio: 'inherit' }).once('exit', resolve).once('error', () => resolve(null)));
    if (code !== 0) throw new Error(`benchmark ${name} failed (exit code ${code})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
