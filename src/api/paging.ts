import { GraphError } from '../graph/errors';

/**
 * Paged lists as Graph pages them: `$top` asks for a page size, `@odata.nextLink` leads to the next
 * page, and its `$skiptoken` is the table's own continuation (where the next page starts), carried
 * URL-safe; any other token is refused with a 400.
 */

/** `$top`: a whole number from 1 to `most`; `most` when absent. */
export function pageSize(raw: string | null, most: number): number {
  if (raw === null) return most;
  const size = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(size >= 1 && size <= most)) throw GraphError.badRequest(`'$top' must be a whole number from 1 to ${most}; got '${raw.slice(0, 40)}'.`);
  return size;
}

/** The storage's continuation token from `$skiptoken`; undefined when absent. */
export function storageSkipToken(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  const where = /^[A-Za-z0-9_-]{1,2000}$/.test(raw) ? readJson(Buffer.from(raw, 'base64url').toString('utf8')) : undefined;
  if (typeof where?.['nextPartitionKey'] !== 'string') throw GraphError.badRequest(`'$skiptoken' is not one this service gave out; follow @odata.nextLink as it is.`);
  return Buffer.from(raw, 'base64url').toString('base64');
}

function readJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The same request on the service's own address (never the Host a request named), with the next token. */
export function nextLinkOf(base: string, url: string, next: string): string {
  const asked = new URL(url);
  const link = new URL(`${asked.pathname}${asked.search}`, base);
  link.searchParams.set('$skiptoken', Buffer.from(next, 'base64').toString('base64url'));
  return link.toString();
}
