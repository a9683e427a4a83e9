import { createLocalJWKSet, SignJWT, type JWTPayload } from 'jose';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { localKeys, SIGNING_ALGORITHM } from './local-keys';
import { ALL_CALL_ROLES } from './roles';
import { verifyWithPolicy } from './token-policy';

/**
 * Inbound bearer tokens. One validation path (jose's jwtVerify) with two key sources: the local
 * issuer whose tokens `npm run token` mints (local mode), and Entra ID's published keys (deployed).
 * Only application tokens are accepted; the calling app is the token's (tenant, app).
 */
export const LOCAL_ISSUER = 'urn:graph-calls-media-service:local-issuer';
/** Graph's audience, as a bot's client-credentials token for Graph carries it (URI or app id). */
export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

export interface CallingApp {
  readonly tenantId: string;
  readonly appId: string;
  readonly roles: readonly string[];
}

export interface TokenVerifier {
  /** The verified claims; throws a 401 GraphError naming the rule a token breaks (see token-policy.ts). */
  verify(token: string): Promise<JWTPayload>;
}

export function localVerifier(keysFile: string): TokenVerifier {
  // Built once: every request verifies against it.
  const keySet = localKeys(keysFile).then(({ issuer }) => createLocalJWKSet({ keys: [issuer.publicJwk] }));
  return {
    async verify(token) {
      return verifyWithPolicy(token, await keySet, { issuer: LOCAL_ISSUER, audience: GRAPH_AUDIENCES, algorithms: [SIGNING_ALGORITHM] });
    },
  };
}

/** The tenant of local tokens when none is named (`npm run token`, the console). */
export const DEFAULT_LOCAL_TENANT = '00000000-0000-4000-8000-000000000001';

export interface LocalTokenRequest {
  readonly appId: string;
  readonly tenantId: string;
  readonly roles?: readonly string[];
  /** Adds an `scp` claim, making it a delegated (user) token, which the API refuses. */
  readonly delegated?: boolean;
  readonly expiresInSeconds?: number;
  /** Epoch seconds; defaults to now. */
  readonly issuedAt?: number;
}

/** A token the local issuer signs, shaped like an Entra ID app-only token for Graph. */
export async function mintLocalToken(keysFile: string, request: LocalTokenRequest): Promise<string> {
  const { issuer } = await localKeys(keysFile);
  const iat = request.issuedAt ?? Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    tid: request.tenantId,
    appid: request.appId,
    azp: request.appId,
    idtyp: request.delegated ? 'user' : 'app',
    roles: [...(request.roles ?? ALL_CALL_ROLES)],
    ...(request.delegated && { scp: 'Calls.Initiate.All', name: 'Local User' }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: issuer.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(GRAPH_AUDIENCES[0] as string)
    .setSubject(request.appId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + (request.expiresInSeconds ?? 3600))
    .sign(issuer.privateKey);
}

/** Turns `Authorization: Bearer <jwt>` into the calling app, or a 401 / 403 Graph error. */
export async function authenticate(authorization: string | null, verifier: TokenVerifier): Promise<CallingApp> {
  if (!authorization?.trim()) throw GraphError.unauthenticated('Access token is empty.');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m?.[1]) throw GraphError.unauthenticated("The Authorization header must be 'Bearer <access token>'.");
  let claims: JWTPayload;
  try {
    claims = await verifier.verify(m[1]);
  } catch (error) {
    if (error instanceof GraphError) throw error;
    throw GraphError.unauthenticated('Access token validation failure: the token could not be verified.');
  }
  if (claims['scp'] !== undefined) {
    throw GraphError.forbidden('Delegated (user) tokens are not supported by the calls API; use an application token.');
  }
  const tenantId = claims['tid'];
  const appId = claims['azp'] ?? claims['appid'];
  if (typeof tenantId !== 'string' || typeof appId !== 'string' || !tenantId || !appId) {
    throw GraphError.unauthenticated('The access token has no tenant (tid) or application (azp / appid) claim.');
  }
  // Both become storage keys and query values: only GUIDs, as Entra ID issues them.
  const tenant = /^[0-9a-f-]{36}$/i.test(tenantId) ? parseGuid(tenantId) : undefined;
  const app = /^[0-9a-f-]{36}$/i.test(appId) ? parseGuid(appId) : undefined;
  if (!tenant) throw GraphError.unauthenticated('The access token\'s tenant (tid) must be a GUID.');
  if (!app) throw GraphError.unauthenticated('The access token\'s application (azp / appid) must be a GUID.');
  const roles = Array.isArray(claims['roles']) ? claims['roles'].filter((r): r is string => typeof r === 'string') : [];
  return { tenantId: tenant, appId: app, roles };
}

/** 403 unless the calling app holds one of the roles. */
export function requireRole(app: CallingApp, anyOf: readonly string[]): void {
  if (anyOf.some((role) => app.roles.includes(role))) return;
  throw GraphError.forbidden(`The application lacks the permission this request needs: one of the application permissions ${anyOf.join(', ')}.`);
}
