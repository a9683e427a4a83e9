/**
 * Retries an assertion until it passes or the time is up, then rethrows its last failure. For
 * outcomes that arrive asynchronously (queue processing, notifications), never for timing claims.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
