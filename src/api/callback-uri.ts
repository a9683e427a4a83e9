import { GraphError } from '../graph/errors';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.toLowerCase().endsWith('.localhost');
}

/**
 * Graph requires callback URLs to be https. Locally, bots listen on plain http on loopback, so
 * local mode also accepts http://localhost, 127.x.x.x and [::1].
 */
export function checkCallbackUri(value: string, mode: 'local' | 'deployed', field = 'callbackUri'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw GraphError.badRequest(`'${field}' must be an absolute https URL.`);
  }
  if (url.protocol === 'https:') return value;
  if (url.protocol === 'http:' && mode === 'local' && isLoopbackHost(url.hostname)) return value;
  const exception = mode === 'local' ? ' (http is accepted only for loopback hosts: localhost, 127.0.0.1, [::1])' : '';
  throw GraphError.badRequest(`'${field}' must be an https URL${exception}; got '${url.protocol}//${url.host}'.`);
}
