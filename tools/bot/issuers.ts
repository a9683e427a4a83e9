import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';

/**
 * The issuers a bot accepts notification tokens from. A token's signature is checked first, against
 * the keys the service the bot was started with publishes; its `iss` is then the service's issuer
 * for the scheme the call was created over: the one announced at --service, or another base URL of
 * the same service (its https listener beside its http one), learned on first sight by reading that
 * URL's OpenID configuration and checking it announces itself and publishes the same key.
 */
export interface TrustedIssuers {
  readonly primary: string;
  verify(token: string, audience: string): Promise<JWTPayload>;
}

interface OpenIdConfiguration {
  readonly issuer: string;
  readonly jwks_uri: string;
}

export async function trustedIssuers(serviceUrl: string): Promise<TrustedIssuers> {
  const primary = await openIdConfiguration(serviceUrl);
  const keys = createRemoteJWKSet(new URL(primary.jwks_uri));
  const known = new Set([primary.issuer]);
  const learning = new Map<string, Promise<boolean>>();

  async function sameService(issuer: string): Promise<boolean> {
    if (!/^https?:\/\/[^/]+$/.test(issuer)) return false;
    const other = await openIdConfiguration(issuer).catch(() => undefined);
    if (other?.issuer !== issuer) return false;
    const [mine, theirs] = await Promise.all([jwkSet(primary.jwks_uri), jwkSet(other.jwks_uri)]);
    return theirs.some((key) => mine.includes(key));
  }

  return {
    primary: primary.issuer,
    async verify(token, audience) {
      const { payload } = await jwtVerify(token, keys, { audience });
      const issuer = String(decodeJwt(token).iss ?? '');
      if (known.has(issuer)) return payload;
      let check = learning.get(issuer);
      if (!check) learning.set(issuer, (check = sameService(issuer)));
      if (!(await check)) {
        learning.delete(issuer);
        throw new Error(`unexpected "iss" claim value ${JSON.stringify(issuer)}: not ${primary.issuer} nor another address of the same service`);
      }
      known.add(issuer);
      return payload;
    },
  };
}

async function openIdConfiguration(baseUrl: string): Promise<OpenIdConfiguration> {
  const url = `${baseUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`cannot read ${url}: ${causeOf(error)}`);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}; is --service the service's base URL?`);
  return (await response.json()) as OpenIdConfiguration;
}

async function jwkSet(url: string): Promise<string[]> {
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as { keys?: { n?: string; x?: string }[] };
  return (body.keys ?? []).map((key) => key.n ?? key.x ?? '').filter(Boolean);
}

/** fetch's own message is a bare "fetch failed"; the cause says what failed (refused, certificate). */
export function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `${code}: the certificate is not trusted (for the service's own https, the bot trusts .local/ca/ca.pem by itself; otherwise set NODE_EXTRA_CA_CERTS)`;
  if (code === 'ECONNREFUSED') return `${code}: nothing listens there (is npm start running, and is --service its address?)`;
  return cause?.message ?? (error as Error).message;
}
