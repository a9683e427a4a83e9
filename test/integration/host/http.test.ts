import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startHostProcess, type HostProcess } from '../../support/host-process';
import { eventually } from '../../support/eventually';
import { isolatedSettings } from '../../support/storage';

const APP = path.join(ROOT, 'test/fixtures/sample-app');
let host: HostProcess;

beforeAll(async () => {
  const settings = isolatedSettings();
  host = await startHostProcess({
    appRoot: APP,
    args: ['--max-request-body-bytes', '1024'],
    env: { FixtureStorage: settings.AzureWebJobsStorage ?? '', WORK_QUEUE: 'http-test-unused', TICK_SCHEDULE: '0 0 0 1 1 *' },
  });
});
afterAll(async () => {
  await host?.stop();
});

describe('local host: HTTP triggers', () => {
  it('routes through routePrefix, binds parameters and builds the request the handler sees', async () => {
    const res = await fetch(`${host.url}/api/items/42/json?a=1&b=two`, {
      method: 'POST',
      headers: { 'x-test': 'hello', 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-item-id')).toBe('42');
    expect(res.headers.get('x-function')).toBe('item');
    expect(await res.json()).toEqual({
      id: '42',
      format: 'json',
      method: 'POST',
      url: `${host.url}/api/items/42/json?a=1&b=two`,
      query: { a: '1', b: 'two' },
      header: 'hello',
      body: 'payload',
    });
  });

  it('matches literals case-insensitively and prefers them to parameters', async () => {
    expect(await (await fetch(`${host.url}/API/Things/special`)).json()).toEqual({ matched: 'specialThing' });
    expect(await (await fetch(`${host.url}/api/things/other`)).json()).toEqual({ matched: 'thingByName', name: 'other' });
    expect(await (await fetch(`${host.url}/api/files/a/b%20c.txt`)).json()).toEqual({ path: 'a/b c.txt' });
  });

  it('answers a path no function takes as the Azure host does: 404 with an empty body', async () => {
    const res = await fetch(`${host.url}/api/items/not-a-number`, { headers: { 'client-request-id': 'my-correlation' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });

  it('answers a known route with another method as the Azure host does: 404, not 405', async () => {
    const res = await fetch(`${host.url}/api/things/special`, { method: 'PUT' });
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('refuses bodies over the cap with 413, whether declared or streamed', async () => {
    const declared = await fetch(`${host.url}/api/upload`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toBe(''); // the host's own answer, as the Azure host gives it

    const streamed = await chunkedPost(`${host.url}/api/upload`, ['x'.repeat(600), 'x'.repeat(600)]);
    expect(streamed.status).toBe(413);

    const fits = await fetch(`${host.url}/api/upload`, { method: 'POST', body: 'x'.repeat(1024) });
    expect(await fits.json()).toEqual({ bytes: 1024 });
  });

  it('answers 500 with no body when a handler throws, and keeps serving', async () => {
    const res = await fetch(`${host.url}/api/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect((await fetch(`${host.url}/api/things/special`)).status).toBe(200);
  });

  it('writes a 204 without a body', async () => {
    const res = await fetch(`${host.url}/api/items/5`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('writes a stream body as it comes, chunked, and cancels it when the client leaves', async () => {
    const res = await fetch(`${host.url}/api/stream?count=3&every=1000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('content-length')).toBeNull();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: tick 0\n\n');
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: tick 1\n\ndata: tick 2\n\n');

    const before = (await (await fetch(`${host.url}/api/stream/cancelled`)).json()) as { cancelled: number };
    const endless = new AbortController();
    // Its first chunk arrives while the handler is still writing (it would take 50 s to end): a host
    // that buffered the body would answer nothing before the test's timeout.
    const open = await fetch(`${host.url}/api/stream?count=1000&every=50`, { signal: endless.signal });
    expect(new TextDecoder().decode((await (open.body as ReadableStream<Uint8Array>).getReader().read()).value)).toBe('data: tick 0\n\n');
    endless.abort();
    await eventually(async () => {
      const after = (await (await fetch(`${host.url}/api/stream/cancelled`)).json()) as { cancelled: number };
      expect(after.cancelled).toBe(before.cancelled + 1);
    });
  });
});

/** A POST without Content-Length, so the host only learns the size while streaming. */
function chunkedPost(url: string, chunks: string[]): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
