/**
 * Retries `check` until it stops throwing, for effects that happen asynchronously (events
 * delivered through the outbox); rethrows the last failure once `timeoutMs` has passed.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
