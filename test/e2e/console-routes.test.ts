import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { APP, GraphClient, OTHER_APP, promptBody } from '../support/graph';
import { eventually } from '../support/eventually';
import { graphError } from '../support/http';
import { serviceForFile } from '../support/service';

// Delivery is off: notifications stay in the outbox, where the call view shows them waiting.
const svc = serviceForFile();

const getJson = async (path: string) => {
  const res = await fetch(`${svc.host.url}${path}`);
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

async function mint(appId: string): Promise<string> {
  const res = await fetch(`${svc.host.url}/emulator/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A request with a Host (and Origin) of our choosing, which fetch does not allow. */
function rawPost(path: string, headers: Record<string, string>): Promise<number> {
  return raw('POST', path, headers);
}

function raw(method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${svc.host.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : JSON.stringify({ appId: APP }));
  });
}

describe('the console’s routes', () => {
  it('mint local tokens that the Graph API accepts, only for loopback hosts and pages', async () => {
    const other = new GraphClient(svc.host.url, await mint(OTHER_APP));
    const call = await other.createCall();
    expect(call['id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rawPost('/emulator/tokens', { host: 'attacker.example:7071' })).toBe(403);
    expect(await rawPost('/emulator/tokens', { origin: 'https://attacker.example' })).toBe(403);
    expect(await rawPost('/emulator/tokens', { origin: 'null' })).toBe(403);
    expect(await rawPost('/emulator/tokens', { origin: 'http://localhost:7071' })).toBe(200);
    const plain = await fetch(`${svc.host.url}/emulator/tokens`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ appId: APP }) });
    expect(plain.status).toBe(415);
    const bad = await fetch(`${svc.host.url}/emulator/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"appId":"me"}' });
    expect((await graphError(bad)).message).toContain('appId');
  });

  it('the operator’s routes (dead letters, delivery log, replay) answer only loopback hosts and pages too', async () => {
    const callId = (await svc.client.createCall())['id'] as string;
    const routes: [string, string][] = [
      ['GET', '/notifications/deadLetters'],
      ['GET', `/notifications/log?callId=${callId}`],
      ['POST', `/notifications/deadLetters/${callId}.0.0/replay`],
    ];
    for (const [method, path] of routes) {
      // A page that rebinds its name to 127.0.0.1, and a page of another site.
      expect(await raw(method, path, { host: 'attacker.example:7071' }), `${method} ${path}`).toBe(403);
      expect(await raw(method, path, { origin: 'https://attacker.example' }), `${method} ${path}`).toBe(403);
      expect(await raw(method, path, { origin: 'null' }), `${method} ${path}`).toBe(403);
    }
    // From the machine itself, as before.
    expect(await raw('GET', '/notifications/deadLetters', {})).toBe(200);
    expect(await raw('GET', `/notifications/log?callId=${callId}`, { origin: 'http://127.0.0.1:7071' })).toBe(200);
    expect(await raw('POST', `/notifications/deadLetters/${callId}.0.0/replay`, {})).toBe(404);
  });

  it('list calls of every app, newest first, filtered by app and state', async () => {
    const first = (await svc.client.createCall())['id'] as string;
    const second = (await svc.client.createCall())['id'] as string;
    const other = (await new GraphClient(svc.host.url, await mint(OTHER_APP)).createCall())['id'] as string;
    const all = (await getJson('/emulator/calls')).json['value'] as { id: string; appId: string }[];
    const ids = all.map((c) => c.id);
    expect(ids.indexOf(other)).toBeLessThan(ids.indexOf(second));
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
    const mine = (await getJson(`/emulator/calls?app=${APP.toUpperCase()}`)).json['value'] as { appId: string }[];
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(new Set(mine.map((c) => c.appId))).toEqual(new Set([APP]));
    await svc.client.send('DELETE', `/${first}`);
    const ended = (await getJson('/emulator/calls?state=terminated')).json['value'] as { id: string; state: string }[];
    expect(ended.map((c) => c.id)).toContain(first);
    expect(ended.every((c) => c.state === 'terminated')).toBe(true);
    expect((await getJson('/emulator/calls?state=ringing')).status).toBe(400);
  });

  it('show one call: states, media queue, operations, and notifications waiting in the outbox', async () => {
    const id = (await svc.client.establishedCall())['id'] as string;
    await svc.client.action(id, 'playPrompt', promptBody('welcome'));
    await svc.client.action(id, 'playPrompt', promptBody('menu'));
    const { status, json } = await getJson(`/emulator/calls/${id.toUpperCase().replaceAll('-', '')}`);
    expect(status).toBe(200);
    expect(json['call']).toMatchObject({ id, appId: APP, direction: 'outgoing', state: 'established' });
    expect(json['timeline'].map((t: { state: string }) => t.state)).toEqual(['establishing', 'established']);
    expect(json['mediaQueue'].map((q: { clientContext: string; status: string }) => `${q.clientContext}:${q.status}`)).toEqual(['welcome:running', 'menu:queued']);
    expect(json['operations'].map((o: { type: string; status: string }) => `${o.type}:${o.status}`)).toEqual(['playPrompt:running', 'playPrompt:notStarted']);
    expect(json['notifications'].length).toBeGreaterThanOrEqual(2);
    expect(json['notifications'][0]).toMatchObject({ delivery: { outcome: 'waiting' }, notification: { changeType: 'updated', resourceData: { state: 'establishing' } } });
    expect(json['deadLetters']).toEqual([]);
    expect((await getJson('/emulator/calls/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('stream the list and the chosen call as server-sent events, again on every change', async () => {
    const id = (await svc.client.establishedCall())['id'] as string;
    const stop = new AbortController();
    const res = await fetch(`${svc.host.url}/emulator/events?callId=${id}`, { signal: stop.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (predicate: (t: string) => boolean) => {
      while (!predicate(text)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await until((t) => t.includes('event: calls\n') && t.includes('event: call\n'));
    expect(text).toContain(`"id":"${id}"`);
    text = '';
    await svc.client.action(id, 'playPrompt', promptBody('later'));
    await until((t) => t.includes('"clientContext":"later"'));
    expect(text).toMatch(/^event: call\ndata: \{.*\}\n\n/);
    stop.abort();
  });
});

describe('the console’s event streams', () => {
  it('are at most 16 at once per instance (429 with Retry-After for one more), and a closed one makes room', async () => {
    const open = async () => {
      const stop = new AbortController();
      const res = await fetch(`${svc.host.url}/emulator/events`, { signal: stop.signal });
      if (res.status === 200) await (res.body as ReadableStream<Uint8Array>).getReader().read();
      return { res, stop };
    };
    const streams = [];
    try {
      for (let i = 0; i < 16; i++) {
        const stream = await open();
        expect(stream.res.status, `stream ${i + 1}`).toBe(200);
        streams.push(stream);
      }
      const refused = await open();
      expect(refused.res.status).toBe(429);
      expect(refused.res.headers.get('retry-after')).toBe('5');
      expect((await graphError(refused.res)).message).toContain('16 console event streams');

      streams.pop()?.stop.abort();
      await eventually(async () => {
        const again = await open();
        streams.push(again);
        expect(again.res.status).toBe(200);
      });
    } finally {
      streams.forEach((s) => s.stop.abort());
    }
  });
});
