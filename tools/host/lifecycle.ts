/**
 * Ctrl-C / SIGTERM: run `stop` (which lets in-flight work finish), then exit 0. A second signal
 * exits at once.
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(1);
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
