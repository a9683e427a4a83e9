import { runCancelBenchmark } from './cancel';
import { runDeliveryBenchmark } from './delivery';

/** `npm run bench [cancel|delivery]`: both by default. Each starts its own Azurite and host. */
const BENCHMARKS: Record<string, () => Promise<void>> = { cancel: runCancelBenchmark, delivery: runDeliveryBenchmark };

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHMARKS)) await BENCHMARKS[name]?.();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
