import { isIP } from 'node:net';
import { GraphError } from '../graph/errors';
import { isPublicAddress } from '../notify/public-callbacks';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.toLowerCase().endsWith('.localhost');
}

/**
 * Graph requires callback URLs to be https. Locally, bots listen on plain http on loopback, so
 * local mode also accepts http://localhost, 127.x.x.x and [::1]. Deployed, a URL whose host is
 * obviously not public is refused here; delivery checks every resolved address when it connects.
 */
export function checkCallbackUri(value: string, mode: 'local' | 'deployed', field = 'callbackUri'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw GraphError.badRequest(`'${field}' must be an absolute https URL.`);
  }
  if (url.protocol === 'https:') {
    // Deployed, delivery only connects to public addresses; say so now for the obvious cases.
    if (mode === 'deployed') {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isLoopbackHost(url.hostname) || (isIP(host) !== 0 && !isPublicAddress(host))) {
        throw GraphError.badRequest(`'${field}' must reach a public address; ${url.hostname} is not one.`);
      }
    }
    return value;
  }
  if (url.protocol === 'http:' && mode === 'local' && isLoopbackHost(url.hostname)) return value;
  const exception = mode === 'local' ? ' (http is accepted only for loopback hosts: localhost, 127.0.0.1, [::1])' : '';
  throw GraphError.badRequest(`'${field}' must be an https URL${exception}; got '${url.protocol}//${url.host}'.`);
}
