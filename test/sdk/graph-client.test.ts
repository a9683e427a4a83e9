import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { callBody, GraphClient, promptBody, token } from '../support/graph';
import { serviceForFile } from '../support/service';

/**
 * Microsoft's JavaScript Graph client, unmodified and set up as its own docs say: Client.init with
 * an authProvider, baseUrl = the service root (the client adds /v1.0 or /beta), the host listed in
 * customHosts. It sends the token to https URLs only, so it runs against the https listener, which
 * this process trusts through NODE_EXTRA_CA_CERTS as the start banner tells a user to.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const svc = serviceForFile();
let client: Client;
let baseUrl: string;
beforeAll(async () => {
  baseUrl = svc.host.httpsUrl ?? '';
  const bearer = await token();
  client = Client.init({
    authProvider: (done) => done(null, bearer),
    baseUrl,
    customHosts: new Set([new URL(baseUrl).hostname]),
  });
});

async function establishedCall(path: string, version: 'v1.0' | 'beta'): Promise<Json> {
  const call = (await client.api(path).version(version).post(callBody())) as Json;
  await eventually(async () => {
    const { state } = (await client.api(`${path}/${call['id']}`).version(version).get()) as Json;
    if (state !== 'established') throw new Error(`call is ${state}`);
  });
  return call;
}

async function expectGraphError(request: Promise<unknown>, statusCode: number, code: string): Promise<GraphError> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  expect(error).toMatchObject({ statusCode, code });
  return error as GraphError;
}

describe('@microsoft/microsoft-graph-client over https', () => {
  it('runs the IVR flow: create, two prompts, a recording, tones, cancel, each operation, hang up', async () => {
    const call = await establishedCall('/communications/calls', 'v1.0');
    expect(call['@odata.context']).toBe(`${baseUrl}/v1.0/$metadata#communications/calls/$entity`);
    const calls = `/communications/calls/${call['id']}`;

    const welcome = (await client.api(`${calls}/playPrompt`).post(promptBody('welcome'))) as Json;
    const menu = (await client.api(`${calls}/playPrompt`).post(promptBody('menu'))) as Json;
    const record = (await client.api(`${calls}/recordResponse`).post({ clientContext: 'answer', maxRecordDurationInSeconds: 5 })) as Json;
    const tones = (await client.api(`${calls}/subscribeToTone`).post({ clientContext: 'keys' })) as Json;
    expect([welcome, menu, record, tones].map((op) => [op['@odata.type'], op['status'], op['clientContext']])).toEqual([
      ['#microsoft.graph.playPromptOperation', 'running', 'welcome'],
      ['#microsoft.graph.playPromptOperation', 'notStarted', 'menu'],
      ['#microsoft.graph.recordOperation', 'notStarted', 'answer'],
      ['#microsoft.graph.subscribeToToneOperation', 'completed', 'keys'],
    ]);

    const cancel = (await client.api(`${calls}/cancelMediaProcessing`).post({ clientContext: 'reset' })) as Json;
    expect(cancel).toMatchObject({ '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', status: 'completed', clientContext: 'reset' });

    const statuses: Record<string, string> = {};
    for (const op of [welcome, menu, record, tones, cancel]) {
      const read = (await client.api(`${calls}/operations/${op['id']}`).get()) as Json;
      expect(read['id']).toBe(op['id']);
      statuses[String(op['clientContext'])] = String(read['status']);
    }
    // The cancel ends the prompts and the recording; the tone subscription is never cancelled.
    expect(statuses).toEqual({ welcome: 'failed', menu: 'failed', answer: 'failed', keys: 'completed', reset: 'completed' });

    expect(await client.api(calls).delete()).toBeFalsy();
    expect(((await client.api(calls).get()) as Json)['state']).toMatch(/^terminat/);
  });

  it('reports errors as GraphError with Graph’s code, status and request id', async () => {
    const missing = await expectGraphError(client.api('/communications/calls/00000000-0000-4000-8000-00000000dead').get(), 404, 'itemNotFound');
    expect(missing.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const call = (await client.api('/communications/calls').post(callBody())) as Json;
    const tooMany = await expectGraphError(client.api(`/communications/calls/${call['id']}/playPrompt`).post(promptBody('x', 21)), 400, 'BadRequest');
    expect(tooMany.message).toContain('prompts');
    await expectGraphError(client.api(`/communications/calls/${call['id']}?$select=bogus`).get(), 400, 'BadRequest');
    // A token from another app: the call is invisible to it.
    const other = Client.init({ authProvider: (done) => void token({ appId: '22222222-2222-4222-8222-222222222222' }).then((t) => done(null, t)), baseUrl, customHosts: new Set([new URL(baseUrl).hostname]) });
    await expectGraphError(other.api(`/communications/calls/${call['id']}`).get(), 404, 'itemNotFound');
  });

  it('drives the beta /app family through .version("beta"), with $select and a recording fetched from its https recordingLocation', async () => {
    const call = await establishedCall('/app/calls', 'beta');
    const calls = `/app/calls/${call['id']}`;
    expect(call['@odata.context']).toBe(`${baseUrl}/beta/$metadata#app/calls/$entity`);
    const selected = (await client.api(calls).version('beta').select(['state', 'id']).get()) as Json;
    expect(selected).toEqual({ '@odata.context': `${baseUrl}/beta/$metadata#app/calls(state,id)/$entity`, '@odata.type': '#microsoft.graph.call', state: 'established', id: call['id'] });

    const record = (await client.api(`${calls}/recordResponse`).version('beta').post({ clientContext: 'msg', playBeep: false, maxRecordDurationInSeconds: 1 })) as Json;
    await new GraphClient(baseUrl, await token()).emulator(`calls/${call['id']}/speech`, { seconds: 3 });
    const done = await eventually(async () => {
      const op = (await client.api(`${calls}/operations/${record['id']}`).version('beta').get()) as Json;
      if (op['status'] !== 'completed') throw new Error(`recording is ${op['status']}`);
      return op;
    });
    expect(done['completionReason']).toBe('maxRecordDurationReached');
    expect(done['recordingLocation']).toBe(`${baseUrl}/recordings/${call['id']}/${record['id']}`);
    const wav = await fetch(done['recordingLocation'], { headers: { authorization: `Bearer ${done['recordingAccessToken']}` } });
    expect(wav.status).toBe(200);
    expect(Buffer.from(await wav.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');

    await client.api(calls).version('beta').delete();
    await expectGraphError(client.api(`${calls}/playPrompt`).version('beta').post(promptBody('late')), 400, 'BadRequest');
  });

  it('cannot use plain http: the client withholds the token from http URLs (why the https listener exists)', async () => {
    const plain = Client.init({ authProvider: (done) => void token().then((t) => done(null, t)), baseUrl: svc.host.url, customHosts: new Set(['127.0.0.1']) });
    const refused = await expectGraphError(plain.api('/communications/calls/00000000-0000-4000-8000-00000000dead').get(), 401, 'InvalidAuthenticationToken');
    expect(refused.message).toBe('Access token is empty.');
  });
});
