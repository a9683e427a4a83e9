import { SignJWT, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER } from '../../src/auth/tokens';
import { APP, OTHER_APP, promptBody, TENANT, token } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp();
let callId: string;
let operationId: string;
beforeAll(async () => {
  callId = (await svc.client.createCall())['id'];
  operationId = (await svc.client.action(callId, 'subscribeToTone', {})).json['id'];
});

async function status(bearer: string | undefined, method = 'GET', path = `/${callId}`) {
  const res = await svc.fetch(`${svc.client.serviceUrl}/v1.0/communications/calls${path}`, { method, headers: bearer === undefined ? {} : { authorization: bearer } });
  return { status: res.status, error: res.status >= 400 ? await graphError(res) : undefined, res };
}

describe('inbound identity', () => {
  it('refuses a token whose tenant or app claim is not a GUID: 401 naming the claim', async () => {
    const cases: [Parameters<typeof token>[0], string][] = [
      [{ tenantId: 'contoso' }, 'tid'],
      [{ tenantId: `${TENANT}' or PartitionKey ne '` }, 'tid'],
      [{ appId: 'not-an-app' }, 'azp / appid'],
      [{ appId: `${APP}|other` }, 'azp / appid'],
    ];
    for (const [claims, named] of cases) {
      const { status: code, error } = await status(`Bearer ${await token(claims)}`);
      expect(code, JSON.stringify(claims)).toBe(401);
      expect(error?.message, JSON.stringify(claims)).toContain(`(${named})`);
      expect(error?.message).toContain('must be a GUID');
    }
  });

  it('needs a bearer token on every Graph route: missing or empty → 401', async () => {
    for (const [method, path] of [['GET', `/${callId}`], ['POST', ''], ['DELETE', `/${callId}`], ['GET', `/${callId}/operations/${operationId}`]]) {
      const { status: code, error, res } = await status(undefined, method, path);
      expect(code).toBe(401);
      expect(error?.code).toBe('InvalidAuthenticationToken');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await status('Bearer ')).status).toBe(401);
    expect((await status('Basic dXNlcjpwYXNz')).error?.message).toContain("'Bearer <access token>'");
  });

  it('malformed, expired or wrongly signed tokens → 401 saying why', async () => {
    expect((await status('Bearer not.a.jwt')).error?.message).toContain('malformed');
    const expired = await token({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 3600 });
    expect((await status(`Bearer ${expired}`)).error?.message).toContain('expired');

    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ tid: TENANT, appid: APP, roles: ['Calls.Initiate.All'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience('https://graph.microsoft.com')
      .setExpirationTime('1h')
      .sign(privateKey);
    const forgedResult = await status(`Bearer ${forged}`);
    expect(forgedResult.status).toBe(401);
    expect(forgedResult.error?.message).toContain('signature');
  });

  it('a delegated token (with scp) → 403', async () => {
    const { status: code, error } = await status(`Bearer ${await token({ delegated: true })}`);
    expect(code).toBe(403);
    expect(error?.message).toContain('Delegated');
  });

  it('an app without the route’s permission → 403 naming the permissions', async () => {
    const initiateOnly = await token({ roles: ['Calls.Initiate.All'] });
    const res = await svc.client.with({ bearer: initiateOnly }).send('POST', `/${callId}/recordResponse`, {});
    expect(res.status).toBe(403);
    expect((await graphError(res)).message).toContain('Calls.AccessMedia.All');
    expect((await svc.client.with({ bearer: initiateOnly }).send('POST', `/${callId}/playPrompt`, promptBody())).status).toBe(200);
    const none = await token({ roles: [] });
    expect((await svc.client.with({ bearer: none }).send('POST', '', undefined)).status).toBe(403);
  });
});

describe('a call belongs to the app that created it', () => {
  it('is invisible (404) to every other app, with its operations', async () => {
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    expect((await other.send('GET', `/${callId}`)).status).toBe(404);
    expect((await other.send('GET', `/${callId}/operations/${operationId}`)).status).toBe(404);
    expect((await other.send('POST', `/${callId}/playPrompt`, promptBody())).status).toBe(404);
    expect((await other.send('POST', `/${callId}/cancelMediaProcessing`, {})).status).toBe(404);
    expect((await other.send('DELETE', `/${callId}`)).status).toBe(404);
    // The same app in another tenant is another caller too.
    const otherTenant = svc.client.with({ bearer: await token({ tenantId: '33333333-3333-4333-8333-333333333333' }) });
    expect((await otherTenant.send('GET', `/${callId}`)).status).toBe(404);
    // And the owner still sees it untouched.
    expect((await svc.client.getCall(callId)).state).not.toBe('terminated');
  });
});
