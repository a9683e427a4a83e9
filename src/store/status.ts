/**
 * The HTTP status of a storage SDK error. Outside a transaction the SDK's `RestError.code` is often
 * undefined, so the store branches on the status (404 gone, 409 exists, 412 someone else changed it).
 */
export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

/** A read or delete of a row that may not be there: undefined when it is absent (404). */
export async function unlessAbsent<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * A conditional write another writer got to first: undefined when the row was changed (412),
 * created (409) or removed (404) by someone else, which a caller treats as "lost the race".
 */
export async function unlessSomeoneElseDid<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    const status = statusOf(error);
    if (status === 412 || status === 409 || status === 404) return undefined;
    throw error;
  }
}
