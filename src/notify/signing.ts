import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { localKeys } from '../auth/local-keys';
import { ConfigError, type Config } from '../config';

/**
 * Signs the bearer token on every notification POST, the way Graph signs its own: audience = the
 * bot's app id, `tid` = the call's tenant, issuer = this service, short lifetime. The public key
 * is published at /.well-known/jwks.json so a bot validates it as it validates Graph's.
 */
export const NOTIFICATION_TOKEN_LIFETIME_SECONDS = 600;

export interface NotificationSigner {
  readonly publicJwk: JWK;
  sign(claims: { readonly issuer: string; readonly audience: string; readonly tenantId: string }): Promise<string>;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

function algorithmOf(jwk: JWK): string {
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'RSA') return 'RS256';
  throw new ConfigError(`NOTIFICATION_SIGNING_KEY must be an EC (P-256 / P-384) or RSA private JWK; got kty '${jwk.kty}'.`);
}

/** A signer from a private JWK given as JSON text (the deployed setting). */
export async function signerFromJwk(text: string): Promise<NotificationSigner> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new ConfigError('NOTIFICATION_SIGNING_KEY is not JSON; it must be a private JWK.');
  }
  if (!jwk.d) throw new ConfigError('NOTIFICATION_SIGNING_KEY must be a private JWK (it has no private part).');
  const alg = algorithmOf(jwk);
  const publicMembers = Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.includes(k))) as JWK;
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicMembers));
  const key = (await importJWK({ ...jwk, alg }, alg)) as CryptoKey;
  return makeSigner(key, { ...publicMembers, kid, alg, use: 'sig' });
}

function makeSigner(privateKey: CryptoKey, publicJwk: JWK): NotificationSigner {
  return {
    publicJwk,
    async sign({ issuer, audience, tenantId }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: tenantId })
        .setProtectedHeader({ alg: publicJwk.alg as string, kid: publicJwk.kid as string, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setNotBefore(now - 60) // tolerate a bot whose clock runs a little behind
        .setExpirationTime(now + NOTIFICATION_TOKEN_LIFETIME_SECONDS)
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

let cached: { key: string; signer: Promise<NotificationSigner> } | undefined;

/** Local mode: the key in LOCAL_KEYS_FILE (made on first start). Deployed: NOTIFICATION_SIGNING_KEY. */
export function notificationSigner(cfg: Config): Promise<NotificationSigner> {
  const key = cfg.mode === 'local' ? `file:${cfg.localKeysFile}` : `jwk:${cfg.notificationSigningKey}`;
  if (cached?.key !== key) {
    const signer =
      cfg.mode === 'local'
        ? localKeys(cfg.localKeysFile).then(({ notifications }) => makeSigner(notifications.privateKey, notifications.publicJwk))
        : signerFromJwk(cfg.notificationSigningKey ?? '');
    cached = { key, signer };
    signer.catch(() => (cached = undefined));
  }
  return cached.signer;
}
