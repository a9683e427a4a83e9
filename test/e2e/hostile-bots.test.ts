import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES } from '../../src/notify/deliver';
import { eventually } from '../support/eventually';
import { APP, OTHER_APP, token } from '../support/graph';
import { json } from '../support/http';
import { serviceForFile } from '../support/service';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

// Long probe intervals: an open circuit stays open while a test looks at it.
const svc = serviceForFile({ deliver: true, env: { NOTIFICATION_TIMEOUT_MS: '10000', NOTIFICATION_RETRY_BASE_MS: '200', NOTIFICATION_PROBE_INTERVAL_MS: '60000' } });
const servers: http.Server[] = [];
afterAll(() => servers.forEach((s) => s.closeAllConnections()));

/** A bot that answers 200 and then streams its body forever, as fast as the service takes it. */
async function endlessBot(): Promise<{ callbackUri: string; posts: number; closed: number; bytes: number }> {
  const state = { callbackUri: '', posts: 0, closed: 0, bytes: 0 };
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = http.createServer((req, res) => {
    state.posts++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) state.bytes += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => state.closed++);
    pump();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.callbackUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return state;
}

describe('a bot that answers with an endless body', () => {
  it('is delivered to on its status alone: the service reads a small part of the body, then hangs up, long before the timeout', async () => {
    const bot = await endlessBot();
    const callId = (await svc.client.createCall({ callbackUri: bot.callbackUri }))['id'] as string;
    const log = await eventually(async () => {
      const entries = (await json<Json>(await fetch(`${svc.host.url}/notifications/log?callId=${callId}`)))['value'] as Json[];
      expect(entries.map((e) => e['outcome'])).toEqual(['delivered', 'delivered']);
      return entries;
    }, 20_000);
    for (const entry of log) expect(entry).toMatchObject({ status: 200, note: `answer body over ${MAX_ANSWER_BYTES} bytes: not read` });
    // Each POST's connection was closed by the service, not left streaming.
    await eventually(() => expect(bot.closed).toBe(bot.posts));
    expect(bot.posts).toBe(2);
  });
});

describe('two apps whose bots share one host', () => {
  it('one app’s failures open no circuit of the other, take none of its slots, and delay none of its notifications', async () => {
    const failing = svc.client;
    const healthy = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    // One origin for both apps' bots: the failing app's answers are 500s, the healthy app's 202s.
    const arrivals: { appId: string; callId: string }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const appId = String(decodeJwt(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '').aud);
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { value: Json[] };
        arrivals.push({ appId, callId: String(body.value[0]?.['resourceData']?.['id'] ?? '') });
        res.writeHead(appId === APP ? 500 : 202).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const callbackUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    const log = async (callId: string) => json<Json>(await fetch(`${svc.host.url}/notifications/log?callId=${callId}`));

    // The failing app's calls fail until its circuit for this host opens.
    const failed = await Promise.all(Array.from({ length: 3 }, async () => (await failing.createCall({ callbackUri }))['id'] as string));
    await eventually(async () => expect((await log(failed[0] as string))['recipient']).toMatchObject({ circuit: 'open' }), 20_000);

    // Then the healthy app's calls to the same host: delivered at the first attempt, in the fast lane.
    const fine = await Promise.all(Array.from({ length: 4 }, async () => (await healthy.createCall({ callbackUri }))['id'] as string));
    for (const callId of fine) {
      const entries = await eventually(async () => {
        const { value } = await log(callId);
        expect((value as Json[]).map((e) => e['outcome'])).toEqual(['delivered', 'delivered']);
        return value as Json[];
      }, 20_000);
      expect(entries.map((e) => [e['attempt'], e['lane']])).toEqual([[1, 'fast'], [1, 'fast']]);
      expect((await log(callId))['recipient']).toMatchObject({ circuit: 'closed' });
    }
    expect(arrivals.filter((a) => a.appId === OTHER_APP).map((a) => a.callId).sort()).toEqual([...fine, ...fine].sort());
  });
});

describe('the dead-letter list', () => {
  it('comes in pages of $top (at most 100) with an @odata.nextLink, and refuses a page size or token it cannot use', async () => {
    const refusing = await svc.bot({ reply: () => ({ status: 400 }) });
    const calls = await Promise.all(Array.from({ length: 2 }, async () => (await svc.client.createCall({ callbackUri: refusing.callbackUri }))['id'] as string));
    const list = async (url: string) => {
      const res = await fetch(url);
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as { value: Json[]; '@odata.nextLink'?: string };
    };
    // Each call's two notifications are refused for good: two dead letters a call.
    for (const callId of calls) {
      await eventually(async () => expect((await list(`${svc.host.url}/notifications/deadLetters?callId=${callId}`)).value).toHaveLength(2), 20_000);
    }
    const seen: string[] = [];
    let page = await list(`${svc.host.url}/notifications/deadLetters?callId=${calls[0]}&$top=1`);
    for (;;) {
      expect(page.value).toHaveLength(1);
      seen.push(...page.value.map((l) => String(l['id'])));
      if (!page['@odata.nextLink']) break;
      expect(page['@odata.nextLink']).toContain(`${svc.host.url}/notifications/deadLetters?`);
      page = await list(page['@odata.nextLink']);
    }
    expect(seen).toEqual([`${calls[0]}.0.0`, `${calls[0]}.1.0`]);

    for (const query of ['$top=0', '$top=101', '$top=ten', '$skiptoken=not-a-token']) {
      const res = await fetch(`${svc.host.url}/notifications/deadLetters?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as Json)['error']['message'], query).toMatch(/\$top|\$skiptoken/);
    }
  });
});

describe('the delivery log', () => {
  it('comes in pages of $top too (at most 50, the log’s size), with an @odata.nextLink', async () => {
    const refusing = await svc.bot({ reply: () => ({ status: 400 }) });
    const callId = (await svc.client.createCall({ callbackUri: refusing.callbackUri }))['id'] as string;
    const read = async (url: string) => {
      const res = await fetch(url);
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as { value: Json[]; '@odata.nextLink'?: string };
    };
    await eventually(async () => expect((await read(`${svc.host.url}/notifications/log?callId=${callId}`)).value).toHaveLength(2), 20_000);
    const first = await read(`${svc.host.url}/notifications/log?callId=${callId}&$top=1`);
    expect(first.value).toHaveLength(1);
    expect(first['@odata.nextLink']).toContain(`${svc.host.url}/notifications/log?`);
    const second = await read(first['@odata.nextLink'] as string);
    expect(second.value).toHaveLength(1);
    expect(second['@odata.nextLink']).toBeUndefined();
    expect([...first.value, ...second.value].map((e) => e['notificationId'])).toEqual((await read(`${svc.host.url}/notifications/log?callId=${callId}`)).value.map((e) => e['notificationId']));
    for (const query of ['$top=0', '$top=51', '$skiptoken=abc']) {
      expect((await fetch(`${svc.host.url}/notifications/log?callId=${callId}&${query}`)).status, query).toBe(400);
    }
  });
});
