import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startHostProcess, type HostProcess } from '../../support/host-process';
import { rawRequest } from '../../support/raw-http';
import { isolatedSettings } from '../../support/storage';

/** The local host as a server facing careless or hostile clients: a quick answer or a closed connection, never a hang. */
const APP = path.join(ROOT, 'test/fixtures/sample-app');
const REQUEST_TIMEOUT_MS = 1500;
let host: HostProcess;

beforeAll(async () => {
  const settings = isolatedSettings();
  host = await startHostProcess({
    appRoot: APP,
    args: ['--request-timeout-ms', String(REQUEST_TIMEOUT_MS)],
    env: { FixtureStorage: settings.AzureWebJobsStorage ?? '', WORK_QUEUE: 'hostile-test-unused', TICK_SCHEDULE: '0 0 0 1 1 *' },
  });
});
afterAll(async () => {
  await host?.stop();
});

const get = (target: string, hostHeader = `127.0.0.1:${host.port}`, extra = '') =>
  rawRequest(host.port, `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\n${extra}Connection: close\r\n\r\n`, { timeoutMs: 5000 });

describe('local host: hostile requests', () => {
  it.each([['bad host/../x'], ['evil.example:99999999'], ['a b'], ['[::1']])('a malformed Host header (%s) gets a quick 400', async (hostHeader) => {
    const res = await get('/api/items/1', hostHeader);
    expect(res.status).toBe(400);
    expect(res.body).toBe(''); // the host's own answer, with no body, as the Azure host gives it
    expect(res.ms).toBeLessThan(2000);
  });

  it('a forged Host does not change the URL the handler sees: it is the listening address', async () => {
    const res = await get('/api/items/7/json', 'evil.example');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).url).toBe(`${host.url}/api/items/7/json`);
  });

  it('an absolute-form target contributes only its path and query', async () => {
    const res = await get('http://evil.example:8080/api/items/7/json?a=1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).url).toBe(`${host.url}/api/items/7/json?a=1`);
  });

  it('a target starting with // is a path on this host, not another authority', async () => {
    // No function has that path here (the host's own empty 404), and nothing was fetched elsewhere.
    const elsewhere = await get('//evil.example/api/items/7/json');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toBe('');
    const here = await get('//api/items/7/json');
    expect(here.status).toBe(200);
    expect(JSON.parse(here.body).url).toBe(`${host.url}//api/items/7/json`);
  });

  it('an asterisk-form or garbage target gets a 400', async () => {
    expect((await get('*')).status).toBe(400);
    expect((await get('nothing-like-a-path')).status).toBe(400);
  });

  it('oversized headers and too many headers get 431', async () => {
    expect((await get('/api/items/1', undefined, `X-Big: ${'a'.repeat(20_000)}\r\n`)).status).toBe(431);
    const many = Array.from({ length: 2000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    expect((await get('/api/items/1', undefined, many)).status).toBe(431);
  });

  it('a body that trickles in is cut off (408 or close) after the request timeout, while others are served', async () => {
    const slow = rawRequest(
      host.port,
      `POST /api/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`,
      { trickle: 'x'.repeat(1000), trickleEveryMs: 100, timeoutMs: REQUEST_TIMEOUT_MS + 5000 },
    );
    const meanwhile = await fetch(`${host.url}/api/items/2`);
    expect(meanwhile.status).toBe(200);
    const res = await slow;
    expect([0, 408]).toContain(res.status);
    // Cut off by the timeout, not refused or dropped at once (status 0 alone would also mean that).
    expect(res.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 200);
    expect(res.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });

  it('headers that never finish are cut off too', async () => {
    const res = await rawRequest(host.port, 'GET /api/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n', {
      trickle: 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      trickleEveryMs: 100,
      timeoutMs: REQUEST_TIMEOUT_MS + 5000,
    });
    expect([0, 408]).toContain(res.status);
    expect(res.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 200);
    expect(res.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });
});
