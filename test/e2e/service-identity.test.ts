import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedSettings, startFakeEntra, type FakeEntra } from '../support/entra';
import { rawRequest } from '../support/raw-http';
import { startService, type RunningService } from '../support/service';

/** The issuer and key URL a bot trusts come from configuration or the listening address, never from the request. */
let entra: FakeEntra;
let local: RunningService;
let deployed: RunningService;
const PUBLIC = 'https://calls.example.com';

beforeAll(async () => {
  entra = await startFakeEntra();
  [local, deployed] = await Promise.all([startService(), startService({ env: await deployedSettings(entra, { PUBLIC_BASE_URL: PUBLIC }) })]);
});
afterAll(async () => {
  await Promise.all([local?.host.stop(), deployed?.host.stop()]);
  await entra?.close();
});

const CONFIG = '/.well-known/openid-configuration';
const openId = async (svc: RunningService, target: string, hostHeader: string) => {
  const res = await rawRequest(svc.host.port, `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
  return { status: res.status, json: res.status === 200 ? (JSON.parse(res.body) as { issuer: string; jwks_uri: string }) : undefined };
};

describe.each([
  ['local', () => local, () => local.host.url],
  ['deployed', () => deployed, () => PUBLIC],
])('OpenID configuration, %s mode', (_, svc, expected) => {
  it.each([
    ['the plain request', (s: RunningService) => [CONFIG, `127.0.0.1:${s.host.port}`]],
    ['a forged Host', () => [CONFIG, 'evil.example']],
    ['an absolute-form target naming another host', () => [`http://evil.example${CONFIG}`, 'evil.example']],
  ] as const)('%s: issuer and jwks_uri are the service’s own', async (__, request) => {
    const [target, hostHeader] = request(svc());
    const res = await openId(svc(), target, hostHeader);
    expect(res.status).toBe(200);
    expect(res.json?.issuer).toBe(expected());
    expect(res.json?.jwks_uri).toBe(`${expected()}/.well-known/jwks.json`);
  });

  it('a //host target is a path on this service, which has nothing there', async () => {
    const res = await openId(svc(), `//evil.example${CONFIG}`, 'evil.example');
    expect(res.status).toBe(404);
  });
});
