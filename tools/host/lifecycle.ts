/**
 * Ctrl-C / SIGTERM: run `stop` (which lets in-flight work finish), then exit 0. A second signal
 * exits at once, unless it comes within a second of the first: one Ctrl-C often arrives twice
 * (from the terminal and forwarded by npm), and that must not cut the orderly stop short.
 */
const SAME_SIGNAL_MS = 1000;

export function stopOnSignals(stop: () => Promise<void>): void {
  let first: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first !== undefined) {
      if (Date.now() - first < SAME_SIGNAL_MS) return;
      process.exit(1);
    }
    first = Date.now();
    console.log(`\n${signal}: stopping (finishing in-flight invocations)...`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
