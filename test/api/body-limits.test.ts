import { describe, expect, it } from 'vitest';
import { promptBody } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

// No media clock: the call the refused requests leave untouched stays `establishing`.
const svc = inProcessApp({ mediaClock: false });

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const createWith = (member: string) =>
  `{"callbackUri":"https://bot.example.com/cb","mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"},"targets":[{"identity":${member}}]}`;

describe('JSON bodies: depth is limited before any schema work', () => {
  it.each([
    ['create call (objects)', '', () => createWith(nested(5000))],
    ['create call (arrays)', '', () => createWith(nestedArrays(100_000))],
    ['create call, just over the limit', '', () => createWith(nested(31))],
  ])('%s: 400 naming the nesting', async (_, path, body) => {
    const res = await svc.client.send('POST', path, body());
    expect(res.status).toBe(400);
    const error = await graphError(res);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toContain('nests objects and arrays deeper than 32 levels');
  });

  it('every action and the answer / incoming-call routes', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    const deep = `{"clientContext":"x","extra":${nested(3000)}}`;
    for (const action of ['playPrompt', 'recordResponse', 'subscribeToTone', 'cancelMediaProcessing', 'answer']) {
      const res = await client.send('POST', `/${callId}/${action}`, deep);
      expect(res.status, action).toBe(400);
      expect((await graphError(res)).message, action).toContain('deeper than 32 levels');
    }
    const incoming = await client.emulator('incomingCalls', `{"callbackUri":"http://localhost:1/cb","source":${nested(3000)}}`);
    expect(incoming.status).toBe(400);
    // The call was not touched.
    expect((await client.getCall(callId))['state']).toBe('establishing');
  });

  it('brackets inside strings do not count, and a body within the limit still works', async () => {
    const { client } = svc;
    const callId = (await client.createCall({ subject: '{'.repeat(1000) }))['id'] as string;
    const res = await client.action(callId, 'playPrompt', promptBody('[[[[{{{{"\\'.repeat(20)));
    expect(res.res.status).toBe(200);
  });

  it('a body over the size limit is refused as too large', async () => {
    const res = await svc.client.send('POST', '', createWith(`{"user":{"displayName":"${'x'.repeat(300 * 1024)}"}}`));
    expect(res.status).toBe(413);
    expect((await graphError(res)).code).toBe('RequestEntityTooLarge');
  });
});

describe('error bodies stay small whatever the input', () => {
  const callBase = { callbackUri: 'https://bot.example.com/cb', targets: [{ identity: { user: { id: 'john' } } }], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } };

  it('an array far over its limit: 400 naming the limit, in under 2 KB', async () => {
    const res = await svc.client.send('POST', '', { ...callBase, requestedModalities: Array.from({ length: 20_000 }, () => 'x') });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(2048);
    expect(JSON.parse(text).error.message).toContain("'requestedModalities' must contain at most 5 modalities");
  });

  it('thousands of unknown members: 400 naming the first few and how many more, in under 2 KB', async () => {
    const callId = (await svc.client.createCall())['id'] as string;
    const body = { ...promptBody('x'), ...Object.fromEntries(Array.from({ length: 8_000 }, (_, i) => [`unknown${i}`, i])) };
    const res = await svc.client.send('POST', `/${callId}/playPrompt`, body);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(2048);
    const { message } = JSON.parse(text).error as { message: string };
    expect(message).toContain("'unknown0' is not a parameter of playPrompt.");
    expect(message).toMatch(/\(7,997 more problems not shown\.\)$/);
  });

  it('an unknown member with a very long name: named by its first characters', async () => {
    const callId = (await svc.client.createCall())['id'] as string;
    const res = await svc.client.send('POST', `/${callId}/playPrompt`, { ...promptBody('x'), [`k${'e'.repeat(100_000)}`]: 1 });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(2048);
    expect(JSON.parse(text).error.message).toContain(`'k${'e'.repeat(39)}…' is not a parameter of playPrompt.`);
  });
});
