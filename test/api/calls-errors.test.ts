import { beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_QUEUE_LIMIT } from '../../src/calls/rules';
import { MAX_BODY_BYTES } from '../../src/graph/body';
import { newId } from '../../src/graph/ids';
import { callBody, outboxNotifications, partition, promptBody } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp();
let callId: string;
beforeAll(async () => {
  callId = (await svc.client.establishedCall())['id'];
});

/** Every bad request gets a Graph error naming what is wrong, never a 5xx, and changes nothing. */
async function expectError(res: Response, status: number, ...mentions: string[]) {
  expect(res.status).toBe(status);
  expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers.get('client-request-id')).toBeTruthy();
  const error = await graphError(res);
  expect(error.innerError['request-id']).toBe(res.headers.get('request-id'));
  for (const text of mentions) expect(error.message).toContain(text);
  return error;
}

describe('bad input gets a Graph-shaped 4xx that names the problem', () => {
  it('malformed JSON → 400', async () => {
    const res = await svc.client.send('POST', `/${callId}/playPrompt`, '{"prompts": [', {});
    await expectError(res, 400, 'not valid JSON');
  });

  it(`a body over ${MAX_BODY_BYTES / 1024} KiB → 413`, async () => {
    const res = await svc.client.send('POST', `/${callId}/playPrompt`, { ...promptBody(), padding: 'x'.repeat(MAX_BODY_BYTES) });
    const error = await expectError(res, 413, `${MAX_BODY_BYTES} bytes`);
    expect(error.code).toBe('RequestEntityTooLarge');
  });

  it('a body that is not JSON → 415', async () => {
    const res = await svc.fetch(`${svc.client.serviceUrl}/v1.0/communications/calls/${callId}/playPrompt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.client.bearer}`, 'content-type': 'text/plain' },
      body: 'play something',
    });
    const error = await expectError(res, 415, 'application/json', 'text/plain');
    expect(error.code).toBe('UnsupportedMediaType');
  });

  it.each([
    ['wrong types', { prompts: 'x', clientContext: 5 }, ["'prompts' must be an array", "'clientContext' must be a string"]],
    ['a missing required field', { clientContext: 'c' }, ["'prompts' is required"]],
    ['clientContext over 256 characters', { ...promptBody(), clientContext: 'x'.repeat(257) }, ["'clientContext' must be at most 256 characters"]],
    ['more than 20 prompts', promptBody(undefined, 21), ["'prompts' must contain at most 20 prompts"]],
    ['an empty prompt list', { prompts: [] }, ["'prompts' must contain at least 1 prompt"]],
    ['a prompt without a URI', { prompts: [{ mediaInfo: {} }] }, ["'prompts[0].mediaInfo.uri' is required"]],
    ['a parameter playPrompt does not have', { ...promptBody(), volume: 11 }, ["'volume' is not a parameter of playPrompt"]],
    ['the beta-only loop on v1.0', { ...promptBody(), loop: true }, ["'loop' is not a parameter of playPrompt"]],
  ])('playPrompt with %s → 400', async (_, body, mentions) => {
    const res = await svc.client.send('POST', `/${callId}/playPrompt`, body);
    await expectError(res, 400, ...mentions);
  });

  it.each([
    ['more than 1 prompt', { prompts: promptBody(undefined, 2).prompts }, ["'prompts' must contain at most 1 prompt"]],
    ['a timer of 0 s', { initialSilenceTimeoutInSeconds: 0 }, ["'initialSilenceTimeoutInSeconds' must be between 1 and 120 seconds"]],
    ['a timer of 121 s', { maxRecordDurationInSeconds: 121 }, ["'maxRecordDurationInSeconds' must be between 1 and 120 seconds"]],
    ['a fractional timer', { maxSilenceTimeoutInSeconds: 2.5 }, ["'maxSilenceTimeoutInSeconds' must be a whole number of seconds"]],
    ['a stop tone that is not DTMF', { stopTones: ['#', 'x'] }, ["'stopTones[1]' must be one DTMF character"]],
  ])('recordResponse with %s → 400', async (_, body, mentions) => {
    const res = await svc.client.send('POST', `/${callId}/recordResponse`, body);
    await expectError(res, 400, ...mentions);
  });

  it('cancelMediaProcessing and subscribeToTone validate too', async () => {
    await expectError(await svc.client.send('POST', `/${callId}/cancelMediaProcessing`, { all: 'yes' }), 400, "'all' must be a boolean");
    await expectError(await svc.client.send('POST', `/${callId}/subscribeToTone`, { clientContext: 'x'.repeat(300) }), 400, "'clientContext' must be at most 256");
  });

  it.each([
    ['no body at all', undefined, ['request body is empty']],
    ['no callbackUri', callBody({ callbackUri: undefined }), ["'callbackUri' is required"]],
    ['an http callbackUri to a public host', callBody({ callbackUri: 'http://bot.example.com/cb' }), ["'callbackUri' must be an https URL", 'loopback']],
    ['a callbackUri that is not a URL', callBody({ callbackUri: 'not a url' }), ["'callbackUri' must be an absolute https URL"]],
    ['no mediaConfig', callBody({ mediaConfig: undefined }), ["'mediaConfig'"]],
    ['an unknown mediaConfig type', callBody({ mediaConfig: { '@odata.type': '#microsoft.graph.mediaConfig' } }), ["'mediaConfig.@odata.type'"]],
    ['no targets and no meetingInfo', callBody({ targets: [] }), ["'targets' is needed"]],
    ['an unknown modality', callBody({ requestedModalities: ['smell'] }), ["'requestedModalities[0]' must be one of"]],
    ['a body that is an array', [], ['must be a JSON object']],
  ])('create call with %s → 400', async (_, body, mentions) => {
    await expectError(await svc.client.send('POST', '', body), 400, ...mentions);
  });

  it('accepts http callbacks on loopback hosts in local mode', async () => {
    for (const callbackUri of ['http://127.0.0.1:9/cb', 'http://localhost:8080/cb', 'http://[::1]:8080/cb']) {
      expect((await svc.client.send('POST', '', callBody({ callbackUri }))).status).toBe(201);
    }
  });

  it('unknown call or operation → 404 itemNotFound', async () => {
    const error = await expectError(await svc.client.send('GET', `/${newId()}`), 404, 'was not found');
    expect(error.code).toBe('itemNotFound');
    await expectError(await svc.client.send('GET', '/not-a-guid'), 404, "'not-a-guid'");
    await expectError(await svc.client.send('POST', `/${newId()}/playPrompt`, promptBody()), 404, 'was not found');
    await expectError(await svc.client.send('GET', `/${callId}/operations/${newId()}`), 404, 'Operation');
    await expectError(await svc.client.send('DELETE', `/${newId()}`), 404);
  });

  it('media operations on an app-hosted media call → 400', async () => {
    const call = await svc.client.createCall({ mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<media session>' } });
    for (const action of ['playPrompt', 'recordResponse', 'subscribeToTone']) {
      const error = await expectError(await svc.client.send('POST', `/${call['id']}/${action}`, action === 'playPrompt' ? promptBody() : {}), 400, 'serviceHostedMediaConfig');
      expect(error.innerError.code).toBe('appHostedMedia');
    }
  });

  it(`a full media queue (${MEDIA_QUEUE_LIMIT}) → 400 naming the limit`, async () => {
    const call = (await svc.client.createCall())['id'] as string;
    for (let i = 0; i < MEDIA_QUEUE_LIMIT; i++) expect((await svc.client.send('POST', `/${call}/playPrompt`, promptBody(`p${i}`))).status).toBe(200);
    const full = await expectError(await svc.client.send('POST', `/${call}/playPrompt`, promptBody('one more')), 400, `${MEDIA_QUEUE_LIMIT}`, 'limit');
    expect(full).toMatchObject({ code: 'BadRequest', innerError: { code: 'queueFull' } });
    // Cancelling a full queue is one transaction: every operation ends, each with one notification.
    expect((await svc.client.send('POST', `/${call}/cancelMediaProcessing`, {})).status).toBe(200);
    const prompts = (await partition(svc.table, call)).operations.filter((op) => op.type === 'playPrompt');
    expect(prompts.map((op) => op.status)).toEqual(Array.from({ length: MEDIA_QUEUE_LIMIT }, () => 'failed'));
    const failed = (await outboxNotifications(svc.table, call)).filter(
      (n) => n['resourceData']['@odata.type'] === '#microsoft.graph.playPromptOperation' && n['resourceData']['status'] === 'failed',
    );
    expect(failed.map((n) => n['resourceData']['id']).sort()).toEqual(prompts.map((op) => op.id).sort());
  });

  it('takes the largest valid requests: 20 prompts with the longest URIs, the longest clientContext, a full queue', async () => {
    const call = (await svc.client.createCall())['id'] as string;
    const largest = {
      clientContext: 'c'.repeat(256),
      prompts: Array.from({ length: 20 }, (_, i) => ({ mediaInfo: { uri: `https://cdn.example.com/${i}/${'u'.repeat(2000)}`, resourceId: 'r'.repeat(256) } })),
    };
    for (let i = 0; i < MEDIA_QUEUE_LIMIT; i++) {
      const res = await svc.client.send('POST', `/${call}/playPrompt`, largest);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const cancel = await svc.client.send('POST', `/${call}/cancelMediaProcessing`, { clientContext: 'c'.repeat(256) });
    expect(cancel.status).toBe(200);
    const { operations } = await partition(svc.table, call);
    expect(operations.filter((op) => op.status === 'failed')).toHaveLength(MEDIA_QUEUE_LIMIT);
    expect(operations.find((op) => op.type === 'playPrompt')?.parameters).toMatchObject({ prompts: expect.arrayContaining([expect.objectContaining({ resourceId: 'r'.repeat(256) })]) });
  });

  it('bad input leaves the call as it was', async () => {
    const call = (await svc.client.establishedCall())['id'] as string;
    const before = await partition(svc.table, call);
    await svc.client.send('POST', `/${call}/playPrompt`, { prompts: 'x' });
    await svc.client.send('POST', `/${call}/recordResponse`, { maxRecordDurationInSeconds: 500 });
    await svc.client.send('POST', `/${call}/playPrompt`, '{');
    const after = await partition(svc.table, call);
    expect(after.rows.map((r) => [r['rowKey'], r['etag']])).toEqual(before.rows.map((r) => [r['rowKey'], r['etag']]));
  });
});

describe('what Azure Table Storage would refuse to store', () => {
  it('a call that fits the body limit but would be stored over 1 MiB (U+2028 is stored escaped): 413 naming the limit, as Azure would refuse it', async () => {
    // 87,200 × U+2028: 261.6 KB of body (the limit is 262,144 bytes), six stored characters (twelve bytes) each.
    const name = '\u2028'.repeat(87_200);
    const res = await svc.client.send('POST', '', callBody({ targets: [{ identity: { user: { id: 'john', displayName: name } } }] }));
    expect(res.status).toBe(413);
    const error = await graphError(res);
    expect(error).toMatchObject({ code: 'RequestEntityTooLarge', innerError: { code: 'storedTooLarge' } });
    expect(error.message).toContain('Azure Table Storage takes 1048576');
  });
});

