import { randomUUID } from 'node:crypto';

/**
 * Graph's correlation ids: `request-id` is new for every request; `client-request-id` echoes the
 * caller's header when it sent a usable one, and otherwise repeats `request-id`.
 */
export interface RequestIds {
  readonly requestId: string;
  readonly clientRequestId: string;
  /** Both ids as response headers. */
  readonly headers: Readonly<Record<string, string>>;
}

const USABLE_CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

export function requestIds(clientHeader?: string | null): RequestIds {
  const requestId = randomUUID();
  const candidate = clientHeader?.trim();
  const clientRequestId = candidate && USABLE_CLIENT_ID.test(candidate) ? candidate : requestId;
  return {
    requestId,
    clientRequestId,
    headers: { 'request-id': requestId, 'client-request-id': clientRequestId },
  };
}
