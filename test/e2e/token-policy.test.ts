import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localKeys } from '../../src/auth/local-keys';
import { GRAPH_AUDIENCES, LOCAL_ISSUER } from '../../src/auth/tokens';
import { TOKEN_POLICY } from '../../src/auth/token-policy';
import { deployedSettings, ENTRA_AUDIENCE as AUDIENCE, ENTRA_TENANT, startFakeEntra, type FakeEntra } from '../support/entra';
import { APP, callBody, KEYS_FILE, TENANT } from '../support/graph';
import { graphError } from '../support/http';
import { startService, type RunningService } from '../support/service';

/** One token policy, two issuers: every rule is tried against the local issuer and against Entra ID. */
const ROLES = ['Calls.Initiate.All', 'Calls.AccessMedia.All'];

let entra: FakeEntra;
let local: RunningService;
let deployed: RunningService;
beforeAll(async () => {
  entra = await startFakeEntra();
  [local, deployed] = await Promise.all([startService(), startService({ env: await deployedSettings(entra) })]);
});
afterAll(async () => {
  await Promise.all([local?.host.stop(), deployed?.host.stop()]);
  await entra?.close();
});

interface Issuer {
  readonly service: () => RunningService;
  /** The issuer's usual claims, without times. */
  readonly claims: () => JWTPayload;
  sign(claims: JWTPayload, alg?: 'HS256'): Promise<string>;
}

const ISSUERS: Record<'local' | 'entra', Issuer> = {
  local: {
    service: () => local,
    claims: () => ({ iss: LOCAL_ISSUER, aud: GRAPH_AUDIENCES[0], tid: TENANT, azp: APP, idtyp: 'app', roles: ROLES }),
    async sign(claims, alg) {
      const { issuer } = await localKeys(KEYS_FILE);
      const jwt = new SignJWT(claims);
      if (alg === 'HS256') return jwt.setProtectedHeader({ alg, kid: issuer.kid }).sign(new TextEncoder().encode('a shared secret anyone could guess'));
      return jwt.setProtectedHeader({ alg: 'ES256', kid: issuer.kid, typ: 'JWT' }).sign(issuer.privateKey);
    },
  },
  entra: {
    service: () => deployed,
    claims: () => ({ iss: `${entra.authorityHost}/${ENTRA_TENANT}/v2.0`, aud: AUDIENCE, tid: ENTRA_TENANT, azp: APP, idtyp: 'app', roles: ROLES }),
    sign: (claims, alg) => entra.signRaw(claims, alg ? { alg } : {}),
  },
};

const now = () => Math.floor(Date.now() / 1000);
const skew = TOKEN_POLICY.clockSkewSeconds;
const max = TOKEN_POLICY.maxLifetimeSeconds;

/** [rule, the token's times (and other claims), what the 401 message names] */
const REFUSED: [string, () => JWTPayload, string][] = [
  ['no exp (a token that never expires)', (t = now()) => ({ iat: t, nbf: t }), "'exp' claim is required"],
  ['exp past the clock skew', (t = now()) => ({ iat: t - 3600, nbf: t - 3600, exp: t - skew - 30 }), 'expired'],
  ['nbf in the future beyond the skew', (t = now()) => ({ iat: t, nbf: t + skew + 60, exp: t + 3600 }), "'nbf'"],
  ['iat in the future beyond the skew', (t = now()) => ({ iat: t + skew + 60, exp: t + 3600 }), "'iat'"],
  ['a lifetime over the maximum', (t = now()) => ({ iat: t, nbf: t, exp: t + max + 60 }), 'lifetime'],
  ['a lifetime over the maximum, counted from iat when there is no nbf', (t = now()) => ({ iat: t - 60, exp: t + max }), 'lifetime'],
  ['a non-numeric exp', (t = now()) => ({ iat: t, exp: 'tomorrow' as unknown as number }), "'exp'"],
];

describe.each(Object.keys(ISSUERS) as ('local' | 'entra')[])('token policy, %s issuer', (name) => {
  const issuer = ISSUERS[name];
  const create = async (bearer: string) => issuer.service().client.with({ bearer }).send('POST', '', callBody());
  const expect401 = async (bearer: string, mention: string) => {
    const res = await create(bearer);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const error = await graphError(res);
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.message).toContain(mention);
  };

  it('accepts a well-formed token, and one whose times are off by less than the skew', async () => {
    // One reading of the clock per token: a second ticking between readings would change the lifetime.
    let t = now();
    expect((await create(await issuer.sign({ ...issuer.claims(), iat: t, nbf: t, exp: t + 3600 }))).status).toBe(201);
    t = now();
    const skewed = { ...issuer.claims(), iat: t + skew - 20, nbf: t + skew - 20, exp: t + 600 };
    expect((await create(await issuer.sign(skewed))).status).toBe(201);
    t = now();
    const justExpired = { ...issuer.claims(), iat: t - 3600, nbf: t - 3600, exp: t - skew + 20 };
    expect((await create(await issuer.sign(justExpired))).status).toBe(201);
    t = now();
    const longest = { ...issuer.claims(), iat: t, nbf: t, exp: t + max };
    expect((await create(await issuer.sign(longest))).status).toBe(201);
  });

  it.each(REFUSED)('refuses %s', async (_, times, mention) => {
    await expect401(await issuer.sign({ ...issuer.claims(), ...times() }), mention);
  });

  it('refuses an algorithm outside the allow-list (HS256 with a guessable secret) and an unsigned token', async () => {
    const t = now();
    const times = { iat: t, nbf: t, exp: t + 600 };
    await expect401(await issuer.sign({ ...issuer.claims(), ...times }, 'HS256'), 'signing algorithm');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...issuer.claims(), ...times })).toString('base64url');
    await expect401(`${header}.${body}.`, 'Access token');
  });

  it('refuses another audience and another issuer, naming the claim', async () => {
    const t = now();
    const times = { iat: t, nbf: t, exp: t + 600 };
    await expect401(await issuer.sign({ ...issuer.claims(), ...times, aud: 'https://someone-else.example.com' }), "'aud'");
    await expect401(await issuer.sign({ ...issuer.claims(), ...times, iss: 'https://issuer.example.com/' }), "'iss'");
    const { aud: _aud, ...noAudience } = issuer.claims();
    await expect401(await issuer.sign({ ...noAudience, ...times }), "'aud'");
  });
});
