import { isIP } from 'node:net';
import { GraphError } from '../graph/errors';
import { callbackUrlProblem, isLoopbackHost } from '../notify/callback-url';
import { isPublicAddress } from '../notify/public-callbacks';


/**
 * Graph requires callback URLs to be https. Locally, bots listen on plain http on loopback, so
 * local mode also accepts http://localhost, 127.x.x.x and [::1]. The shape rules are in
 * notify/callback-url.ts. Deployed, a URL whose host is obviously not public is refused here;
 * delivery checks every resolved address when it connects.
 */
export function checkCallbackUri(value: string, mode: 'local' | 'deployed', field = 'callbackUri'): string {
  const problem = callbackUrlProblem(value, mode);
  if (problem) throw GraphError.badRequest(`'${field}' ${problem}.`);
  if (mode === 'deployed') {
    const url = new URL(value);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isLoopbackHost(url.hostname) || (isIP(host) !== 0 && !isPublicAddress(host))) {
      throw GraphError.badRequest(`'${field}' must reach a public address; ${url.hostname} is not one.`);
    }
  }
  return value;
}
