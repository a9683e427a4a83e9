import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOwner } from '../../src/store/storage-owner';
import { eventually } from '../support/eventually';
import { deployedSettings, ENTRA_AUDIENCE as AUDIENCE, ENTRA_TENANT as TENANT, startFakeEntra, type FakeEntra } from '../support/entra';
import { APP, callBody, token } from '../support/graph';
import { graphError } from '../support/http';
import { startService, type RunningService } from '../support/service';

const OTHER_TENANT = '7a7a7a7a-0000-4000-8000-000000000002';
const ALL_ROLES = ['Calls.Initiate.All', 'Calls.AccessMedia.All'];

let entra: FakeEntra;
let svc: RunningService;
beforeAll(async () => {
  entra = await startFakeEntra();
  svc = await startService({ env: await deployedSettings(entra, { ENTRA_AUDIENCES: `${AUDIENCE},0a0a0a0a-0000-4000-8000-00000000a0d1` }) });
});
afterAll(async () => {
  await svc?.host.stop();
  await entra?.close();
});

const v2 = (tid = TENANT) => `${entra.authorityHost}/${tid}/v2.0`;
const appToken = (claims: Record<string, unknown> = {}, options?: Parameters<FakeEntra['sign']>[1]) =>
  entra.sign({ iss: v2(), aud: AUDIENCE, tid: TENANT, azp: APP, idtyp: 'app', roles: ALL_ROLES, ...claims }, options);

async function create(bearer: string, body: Record<string, unknown> = callBody()) {
  return svc.client.with({ bearer }).send('POST', '', body);
}

describe('deployed mode: Entra ID tokens', () => {
  it('accepts an app token for the service API in the v2 and v1 issuer forms', async () => {
    expect((await create(await appToken())).status).toBe(201);
    const v1 = await appToken({ iss: `https://sts.windows.net/${TENANT}/`, azp: undefined, appid: APP, aud: '0a0a0a0a-0000-4000-8000-00000000a0d1' });
    expect((await create(v1)).status).toBe(201);
  });

  it.each([
    ['another tenant', () => ({ tid: OTHER_TENANT, iss: v2(OTHER_TENANT) }), "'tid'"],
    ['an issuer of another tenant', () => ({ iss: v2(OTHER_TENANT) }), "'iss'"],
    ['another audience (a Graph token, say)', () => ({ aud: 'https://graph.microsoft.com' }), "'aud'"],
  ])('refuses a token from %s with 401', async (_, claims, mention) => {
    const res = await create(await appToken(claims()));
    expect(res.status).toBe(401);
    expect((await graphError(res)).message).toContain(mention);
  });

  it('allows a small clock skew on expiry, and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await create(await appToken({}, { issuedAt: now - 3630, expiresInSeconds: 3600 }))).status).toBe(201);
    const expired = await create(await appToken({}, { issuedAt: now - 3720, expiresInSeconds: 3600 }));
    expect(expired.status).toBe(401);
    expect((await graphError(expired)).message).toContain('expired');
  });

  it('refuses delegated tokens (403) and a missing app role (403)', async () => {
    expect((await create(await appToken({ scp: 'Calls.Initiate.All', idtyp: 'user' }))).status).toBe(403);
    const initiateOnly = await appToken({ roles: ['Calls.Initiate.All'] });
    const call = (await (await create(initiateOnly)).json()) as { id: string };
    const record = await svc.client.with({ bearer: initiateOnly }).send('POST', `/${call.id}/recordResponse`, {});
    expect(record.status).toBe(403);
    expect((await graphError(record)).message).toContain('Calls.AccessMedia.All');
  });

  it('refuses the local issuer’s tokens', async () => {
    expect((await create(await token())).status).toBe(401);
  });

  it('follows a key rollover: a token signed with a new key validates once the key set is looked up again', async () => {
    await entra.rotate();
    const signedWithNewKey = await appToken();
    await eventually(async () => expect((await create(signedWithNewKey)).status).toBe(201), 15_000, 500);
  });

  it('answers 503 with Retry-After, not 401, while Entra ID’s key set cannot be read; 201 once it can', async () => {
    entra.outage(true);
    try {
      // A key the service has not seen, so it must look the key set up again.
      await entra.rotate();
      const bearer = await appToken();
      const res = await eventually(async () => {
        const answer = await create(bearer);
        expect(answer.status).toBe(503);
        return answer;
      }, 15_000, 500);
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await graphError(res)).code).toBe('serviceNotAvailable');
      entra.outage(false);
      await eventually(async () => expect((await create(bearer)).status).toBe(201), 15_000, 500);
    } finally {
      entra.outage(false);
    }
  });
});

describe('deployed mode: callbacks', () => {
  it('must be https to a public address', async () => {
    const bearer = await appToken();
    for (const [callbackUri, mention] of [
      ['http://bot.example.com/cb', 'https'],
      ['http://127.0.0.1:8080/cb', 'https'],
      ['https://127.0.0.1/cb', 'public address'],
      ['https://localhost/cb', 'public address'],
      ['https://10.0.0.5/cb', 'public address'],
      ['https://[::1]/cb', 'public address'],
    ]) {
      const res = await create(bearer, callBody({ callbackUri }));
      expect(res.status).toBe(400);
      expect((await graphError(res)).message).toContain(mention);
    }
  });
});

describe('deployed mode: no emulator', () => {
  it('marks its storage as a deployed service’s at its first sweep, with its signing key', async () => {
    // isolatedSettings sweeps every 5 s.
    const owner = await eventually(async () => {
      const read = await readOwner(svc.table);
      expect(read?.mode).toBe('deployed');
      return read;
    }, 15_000);
    const { keys } = (await (await fetch(`${svc.host.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(owner?.signingKeyId).toBe(keys[0]?.kid);
  });

  it('has no emulator: its routes answer 404 like unknown paths, before any token check', async () => {
    for (const path of ['incomingCalls', 'calls/00000000-0000-4000-8000-000000000000/tones']) {
      const res = await fetch(`${svc.host.url}/emulator/${path}`, { method: 'POST' });
      expect(res.status).toBe(404);
      expect((await graphError(res)).code).toBe('NotFound');
    }
  });

  it('has no fault injection: the fault profile routes answer 404 too', async () => {
    for (const [method, path] of [['PUT', 'faults'], ['GET', 'faults'], ['GET', 'faults/summary'], ['DELETE', 'calls/00000000-0000-4000-8000-000000000000/faults']]) {
      const res = await fetch(`${svc.host.url}/emulator/${path}`, { method, ...(method === 'PUT' && { headers: { 'content-type': 'application/json' }, body: '{"api":{"throttle":{"rate":1}}}' }) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await graphError(res)).code).toBe('NotFound');
    }
  });
});

describe('deployed mode: no console', () => {
  it('has no console, no call list, no event stream and mints no tokens: 404 like unknown paths', async () => {
    const requests = [
      ['GET', 'console'],
      ['GET', 'console/console.js'],
      ['GET', 'emulator/calls'],
      ['GET', 'emulator/calls/00000000-0000-4000-8000-000000000000'],
      ['GET', 'emulator/events'],
      ['POST', 'emulator/tokens'],
    ] as const;
    for (const [method, path] of requests) {
      const res = await fetch(`${svc.host.url}/${path}`, { method, ...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body: '{"appId":"11111111-1111-4111-8111-111111111111"}' }) });
      expect(res.status, `${method} /${path}`).toBe(404);
      expect((await graphError(res)).code).toBe('NotFound');
    }
  });
});
