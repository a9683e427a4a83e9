import type { JWTPayload } from 'jose';
import type { TokenVerifier } from './tokens';

/** A verified token is trusted again without a signature check for at most this long, and never past its `exp`. */
const REMEMBER_MS = 5 * 60_000;
const CAPACITY = 1000;

/**
 * Remembers the tokens that verified, so a bot's many requests with one token cost one signature
 * check: under a burst of concurrent requests the checks queued on the crypto thread pool and
 * were most of a request's time. Concurrent checks of one token share one verification. A token
 * that fails is not remembered, and one whose `exp` has passed is checked again (and refused).
 */
export function rememberingVerifier(inner: TokenVerifier, now: () => number = Date.now): TokenVerifier {
  const remembered = new Map<string, { claims: Promise<JWTPayload>; until: number }>();
  return {
    async verify(token) {
      const hit = remembered.get(token);
      if (hit && now() < hit.until) return hit.claims;
      remembered.delete(token);
      const claims = inner.verify(token);
      const entry = { claims, until: now() + REMEMBER_MS };
      remembered.set(token, entry);
      if (remembered.size > CAPACITY) remembered.delete(remembered.keys().next().value as string);
      try {
        const payload = await claims;
        if (typeof payload.exp === 'number') entry.until = Math.min(entry.until, payload.exp * 1000);
        return payload;
      } catch (error) {
        if (remembered.get(token) === entry) remembered.delete(token);
        throw error;
      }
    },
  };
}
