import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP, callBody, partition, promptBody } from '../support/graph';
import { serviceForFile } from '../support/service';

/**
 * Property-based fuzzing of every route's path, headers and body: whatever arrives, the answer is
 * never a 5xx, every error is Graph-shaped, and a refused request leaves the call's stored rows
 * exactly as they were. Bounded in time; on failure fast-check reports the seed and path to replay
 * (pass them to fc.assert as `seed` / `path`).
 */
const svc = serviceForFile();
let callId: string;
beforeAll(async () => {
  callId = (await svc.client.establishedCall())['id'] as string;
  await svc.client.action(callId, 'playPrompt', promptBody('running'));
});

const ACTIONS = ['', 'answer', 'playPrompt', 'recordResponse', 'subscribeToTone', 'cancelMediaProcessing', 'operations/00000000-0000-4000-8000-000000000000', 'reject', 'x'];
const PREFIXES = ['/v1.0/communications/calls', '/beta/communications/calls', '/v1.0/app/calls', `/beta/applications/${APP}/calls`, '/emulator/calls', '/emulator/incomingCalls', '/v1.0/communications', '/notifications/deadLetters'];

const segment = fc.oneof(
  fc.constant(() => callId),
  fc.constant(() => callId.replace(/-/g, '').toUpperCase()),
  fc.string({ maxLength: 40 }).map((s) => () => encodeURIComponent(s)),
  fc.constantFrom('..', '%2e%2e', '%00', '%2F', '%ZZ', '', 'null').map((s) => () => s),
);
const path = fc
  .tuple(fc.constantFrom(...PREFIXES), segment, fc.constantFrom(...ACTIONS, 'tones', 'speech', 'hangUp'))
  .map(([prefix, id, action]) => () => `${prefix}/${id()}${action ? `/${action}` : ''}`);

const deep = fc.integer({ min: 1, max: 3000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
const validish = fc.constantFrom<unknown>(callBody(), promptBody('x'), { clientContext: 'c' }, { all: false }, { tones: ['1'] }, { seconds: 1 }, { callbackUri: 'http://localhost:1/cb' });
const mutated = fc.tuple(validish, fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 })).map(([base, extra]) => ({ ...(base as object), ...extra }));
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  mutated.map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  deep,
);
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', 'application/merge-patch+json', ''),
    'client-request-id': printable,
    authorization: fc.oneof(fc.constant('valid'), fc.constant(''), printable, printable.map((s) => `Bearer ${s}`)),
    accept: printable,
  },
  { requiredKeys: [] },
);
const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH', 'PUT');

async function snapshot() {
  const { rows } = await partition(svc.table, callId);
  return rows.map((r) => `${String(r['rowKey'])}@${String(r['etag'])}`).sort();
}

describe('fuzzing every route', () => {
  it('never answers 5xx, always Graph-shaped errors, refuses every request without a valid token, and refused requests change nothing', { timeout: 180_000 }, async () => {
    let runs = 0;
    let unauthenticated = 0;
    await fc.assert(
      fc.asyncProperty(method, path, headers, body, async (verb, makePath, hdrs, payload) => {
        // DELETE would end the call: the rows it changes are the point, so it is tried on other paths only.
        const target = makePath();
        runs++;
        if (verb === 'DELETE' && target.includes(callId)) return;
        const before = await snapshot();
        const sent: Record<string, string> = { ...hdrs, authorization: hdrs.authorization === 'valid' ? `Bearer ${svc.client.bearer}` : (hdrs.authorization ?? '') };
        if (sent['authorization'] === '') delete sent['authorization'];
        const res = await fetch(`${svc.host.url}${target}`, {
          method: verb,
          headers: sent,
          ...(payload !== undefined && verb !== 'GET' && { body: payload }),
        });
        const text = await res.text();
        expect(res.status, `${verb} ${target} → ${text.slice(0, 300)}`).toBeLessThan(500);
        // Locally the operator's routes are open (dead letters, and the console's reads of calls:
        // docs/console.md); everything else needs the app's token.
        const operatorRoute = target.startsWith('/notifications/') || (verb === 'GET' && target.startsWith('/emulator/calls'));
        if (hdrs.authorization !== 'valid' && !operatorRoute) {
          unauthenticated++;
          // 401, or what no route takes: 404, or 405 for a method the route does not have (it names the
          // ones it has, and reads no data).
          expect([401, 404, 405], `${verb} ${target} without a valid token → ${res.status} ${text.slice(0, 300)}`).toContain(res.status);
        }
        if (res.status >= 400) {
          const error = (JSON.parse(text) as { error: { code: string; message: string; innerError: Record<string, string> } }).error;
          expect(typeof error.code).toBe('string');
          expect(typeof error.message).toBe('string');
          expect(error.innerError['request-id']).toBe(res.headers.get('request-id'));
          expect(await snapshot(), `${verb} ${target} was refused (${res.status}) but changed the call`).toEqual(before);
        }
      }),
      // Every run, however long it takes: a time limit could silently cut the cases to a few.
      { numRuns: 400, verbose: 1 },
    );
    expect(runs).toBe(400);
    expect(unauthenticated).toBeGreaterThan(100);
    // The call is still readable after all that.
    expect((await svc.client.getCall(callId))['id']).toBe(callId);
  });
});
