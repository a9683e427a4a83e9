/**
 * The HTTP status of a storage SDK error. Outside a transaction the SDK's `RestError.code` is often
 * undefined, so the store branches on the status (404 gone, 409 exists, 412 someone else changed it).
 */
export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}
