import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A stand-in for Entra ID on loopback: it serves a JWKS at /common/discovery/v2.0/keys and signs
 * RS256 access tokens with the key it currently publishes. `rotate()` replaces the key (rollover).
 */
export interface FakeEntra {
  readonly authorityHost: string;
  sign(claims: JWTPayload, options?: { expiresInSeconds?: number; issuedAt?: number }): Promise<string>;
  /** Signs exactly these claims (no iat/nbf/exp added) with the current key, or under another `alg` with a made-up secret. */
  signRaw(claims: JWTPayload, options?: { alg?: 'HS256' }): Promise<string>;
  rotate(): Promise<void>;
  /** While on, the key set answers 503 (an Entra ID outage). */
  outage(on: boolean): void;
  close(): Promise<void>;
}

export async function startFakeEntra(): Promise<FakeEntra> {
  let current = await newKey();
  let down = false;
  const server = http.createServer((req, res) => {
    if (down) res.writeHead(503).end();
    else if (req.url === '/common/discovery/v2.0/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [current.publicJwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const authorityHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorityHost,
    async sign(claims, options = {}) {
      const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: current.kid, typ: 'JWT' })
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + (options.expiresInSeconds ?? 3600))
        .sign(current.privateKey);
    },
    async signRaw(claims, options = {}) {
      if (options.alg === 'HS256') {
        return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'JWT' }).sign(new TextEncoder().encode('a shared secret anyone could guess'));
      }
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: current.kid, typ: 'JWT' }).sign(current.privateKey);
    },
    async rotate() {
      current = await newKey();
    },
    outage(on) {
      down = on;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function newKey(): Promise<{ kid: string; privateKey: CryptoKey; publicJwk: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `key-${Math.random().toString(36).slice(2)}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' } };
}

/** The tenant and audience deployed-mode tests accept tokens for. */
export const ENTRA_TENANT = '7a7a7a7a-0000-4000-8000-000000000001';
export const ENTRA_AUDIENCE = 'api://graph-calls-media-service';

/** Settings of a deployed-mode service that trusts `entra`, with a fresh notification signing key. */
export async function deployedSettings(entra: FakeEntra, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    SERVICE_MODE: 'deployed',
    PUBLIC_BASE_URL: 'https://calls.example.com',
    NOTIFICATION_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
    ENTRA_ALLOWED_TENANTS: ENTRA_TENANT,
    ENTRA_AUDIENCES: ENTRA_AUDIENCE,
    ENTRA_AUTHORITY_HOST: entra.authorityHost,
    ...overrides,
  };
}
