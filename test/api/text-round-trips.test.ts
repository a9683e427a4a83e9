import { describe, expect, it } from 'vitest';
import { outboxNotifications, promptBody } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp();

/** Text a bot may send: separators JSON leaves unescaped, emoji (surrogate pairs), right-to-left, combining marks. */
const SAMPLES = {
  separators: 'line\u2028para\u2029end',
  emoji: '📞☎️👩🏽‍💻 ok',
  rightToLeft: 'שלום \u202Eעולם\u202C مرحبا',
  controls: 'tab\tnew\nline\r\u0001\u001f\u007f',
  combining: 'e\u0301 \uFEFF \uFFFD',
};

describe('any valid text round-trips byte for byte', () => {
  it.each(Object.entries(SAMPLES))('%s: in the action response, the stored operation and its notifications', async (_, text) => {
    const { client } = svc;
    const callId = (await client.establishedCall({ subject: text }))['id'] as string;
    const played = await client.action(callId, 'playPrompt', { ...promptBody(text), prompts: [{ mediaInfo: { uri: 'https://cdn.example.com/a.wav', resourceId: text } }] });
    expect(played.res.status).toBe(200);
    expect(played.json['clientContext']).toBe(text);
    expect((await client.operation(callId, played.json['id'])).json['clientContext']).toBe(text);
    expect((await client.getCall(callId))['subject']).toBe(text);
    const tone = await client.action(callId, 'subscribeToTone', { clientContext: text });
    expect(tone.res.status).toBe(200);
    const cancel = await client.action(callId, 'cancelMediaProcessing', { clientContext: text });
    expect(cancel.res.status).toBe(200);
    // The cancelled prompt and the cancel notify the bot (a tone subscription completes in its answer), with the text as it was sent.
    const operations = (await outboxNotifications(svc.table, callId))
      .map((n) => n['resourceData'])
      .filter((data) => String(data?.['@odata.type']).endsWith('Operation'))
      .map((data) => [data['@odata.type'], data['clientContext']]);
    expect(operations.sort()).toEqual(
      [
        ['#microsoft.graph.cancelMediaProcessingOperation', text],
        ['#microsoft.graph.playPromptOperation', text],
      ].sort(),
    );
  });

  it('counts lengths in UTF-16 code units, as Graph does: 128 emoji fill a 256-character clientContext', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    const full = await client.action(callId, 'playPrompt', promptBody('😀'.repeat(128)));
    expect(full.res.status).toBe(200);
    expect(full.json['clientContext']).toBe('😀'.repeat(128));
    const over = await client.action(callId, 'playPrompt', promptBody(`${'😀'.repeat(128)}a`));
    expect(over.res.status).toBe(400);
    expect(over.json['error']['message']).toContain("'clientContext' must be at most 256 characters");
  });

  it('keeps a long document whole when a surrogate pair falls on a storage chunk boundary', async () => {
    const { client } = svc;
    // The call's JSON is split over columns every 30,000 characters; put pairs across that line.
    const subject = 'a'.repeat(1023);
    const targets = Array.from({ length: 50 }, (_, i) => ({ identity: { user: { id: `u${i}`, displayName: `${'x'.repeat(i % 2)}${'😀'.repeat(400)}` } } }));
    const call = await client.createCall({ subject, targets });
    expect((await client.getCall(call['id'] as string))['targets']).toEqual(targets);
  });
});

describe('text that cannot be valid is a 400 naming the field', () => {
  const raw = (json: string) => svc.client.send('POST', '', json);

  it.each([
    ['a lone high surrogate in clientContext', '"clientContext":"a\\ud800b"', 'clientContext'],
    ['a lone low surrogate in a prompt resourceId', '"prompts":[{"mediaInfo":{"uri":"https://a.example/x.wav","resourceId":"\\udc00"}}]', 'prompts[0].mediaInfo.resourceId'],
    ['a NUL character', '"clientContext":"a\\u0000b"', 'clientContext'],
  ])('%s', async (_, member, field) => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    const res = await client.send('POST', `/${callId}/playPrompt`, `{${member.includes('prompts') ? '' : '"prompts":[{"mediaInfo":{"uri":"https://a.example/x.wav"}}],'}${member}}`);
    expect(res.status).toBe(400);
    const error = await graphError(res);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toContain(`'${field}'`);
  });

  it('a lone surrogate in a property name or deep in the call object', async () => {
    const bad = await raw('{"callbackUri":"https://bot.example.com/cb","targets":[{"identity":{"user":{"displayName":"\\ud83d"}}}],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}');
    expect(bad.status).toBe(400);
    expect((await graphError(bad)).message).toContain("'targets[0].identity.user.displayName'");
    const key = await raw('{"callbackUri":"https://bot.example.com/cb","subject":"s","targets":[{"\\udfff":1}],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}');
    expect(key.status).toBe(400);
    expect((await graphError(key)).message).toContain("'targets[0]'");
  });

  it('a body that is not UTF-8', async () => {
    const res = await svc.fetch(`${svc.client.serviceUrl}/v1.0/communications/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.client.bearer}`, 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"subject":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    expect(res.status).toBe(400);
    expect((await graphError(res)).message).toContain('UTF-8');
  });
});
