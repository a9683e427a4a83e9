import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { GraphError } from '../graph/errors';
import type { Config } from '../config';
import type { TokenVerifier } from './tokens';
import { verifyWithPolicy } from './token-policy';

/** Entra ID signs access tokens with RS256; its key set is the same for every tenant. */
const ALGORITHMS = ['RS256'];
/** After an unknown key id, look the key set up again at most this often (key rollover). */
const KEYS_COOLDOWN_MS = 5_000;

/**
 * Deployed mode's inbound tokens: Entra ID access tokens for this service's API (audience from
 * ENTRA_AUDIENCES), issued by one of ENTRA_ALLOWED_TENANTS in its v1 (sts.windows.net) or v2
 * (login.microsoftonline.com/{tid}/v2.0) form, signed with a key from Entra's published key set
 * (cached; looked up again when a token names a key it has not seen, so rollover just works).
 */
export function entraVerifier(entra: Config['entra']): TokenVerifier {
  const remote = createRemoteJWKSet(new URL(`${entra.authorityHost}/common/discovery/v2.0/keys`), {
    cooldownDuration: KEYS_COOLDOWN_MS,
    timeoutDuration: 5_000,
  });
  // A token naming a key Entra does not publish is the caller's fault (401); Entra's key set not
  // answering is not: the caller may retry, as for any outage of a service this one depends on.
  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw GraphError.serviceUnavailable("Entra ID's signing keys cannot be read right now, so no token can be checked; retry the request.", 5);
    }
  };
  const allowed = new Set(entra.allowedTenants);
  return {
    async verify(token) {
      const payload = await verifyWithPolicy(token, keys, { audience: entra.audiences, algorithms: ALGORITHMS });
      const tid = typeof payload['tid'] === 'string' ? payload['tid'].toLowerCase() : '';
      if (!allowed.has(tid)) throw GraphError.unauthenticated("Access token validation failure: the 'tid' claim names a tenant that is not allowed.");
      const issuers = [`https://sts.windows.net/${tid}/`, `${entra.authorityHost}/${tid}/v2.0`];
      if (!issuers.includes(String(payload.iss).toLowerCase())) {
        throw GraphError.unauthenticated("Access token validation failure: the 'iss' claim is not an issuer of the token's tenant.");
      }
      return payload;
    },
  };
}
