import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_ROW } from '../../src/store/table-schema';
import { type TestBot } from '../support/bot';
import { eventually } from '../support/eventually';
import { callBody, promptBody } from '../support/graph';
import { graphError } from '../support/http';
import { serviceForFile } from '../support/service';

const svc = serviceForFile({ deliver: true, env: { PROMPT_DURATION_MS: '100' } });
let bot: TestBot;
beforeAll(async () => {
  bot = await svc.bot();
});

const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

/** [callbackUri, what the 400 says about it] */
const REFUSED: [string, string][] = [
  ['https://user:password@bot.example.com/cb', 'user information'],
  ['http://user:password@127.0.0.1:3978/cb', 'user information'],
  ['https://user@bot.example.com/cb', 'user information'],
  ['https://bot.example.com/cb#fragment', 'fragment'],
  ['/api/calls', 'absolute https URL'],
  ['bot.example.com/cb', 'absolute https URL'],
  ['https:bot.example.com/cb', 'absolute https URL'],
  ['ftp://bot.example.com/cb', 'https'],
  ['http://bot.example.com/cb', 'https'],
  ['https://0x7f.1/cb', 'DNS name or an IP literal'],
  ['https://1.2.3/cb', 'DNS name or an IP literal'],
  ['https://bot_x.example.com/cb', 'DNS name or an IP literal'],
  ['https://-bot.example.com/cb', 'DNS name or an IP literal'],
  ['https://bot.example.com\\@evil.example.com/cb', 'backslashes'],
  ['https://bot.example.com/c b', 'without spaces'],
  ['https://bücher.example/cb', 'printable ASCII'],
  [`https://bot.example.com/${'a'.repeat(2100)}`, 'at most 2048 characters'],
];

describe('callbackUri: one policy at create, answer and incoming call', () => {
  it.each(REFUSED)('refuses %s', async (callbackUri, mention) => {
    const { client } = svc;
    const created = await client.send('POST', '', callBody({ callbackUri }));
    expect(created.status).toBe(400);
    const error = await graphError(created);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toContain("'callbackUri'");
    expect(error.message).toContain(mention);

    const incoming = await client.emulator('incomingCalls', { callbackUri });
    expect(incoming.status).toBe(400);
    expect((await graphError(incoming)).message).toContain("'callbackUri'");

    const ring = await client.emulator('incomingCalls', { callbackUri: bot.callbackUri });
    const id = ((await ring.json()) as { id: string }).id;
    const answer = await client.send('POST', `/${id}/answer`, { callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    expect(answer.status).toBe(400);
    expect((await graphError(answer)).message).toContain("'callbackUri'");
    expect((await client.getCall(id))['state']).toBe('incoming');
  });

  it.each(['https://bot.example.com/cb?tenant=a&x=%20', 'https://[2001:db8::1]:8443/cb', 'https://BOT.Example.com./cb', 'http://localhost:3978/api/calls', 'http://[::1]:3978/cb'])(
    'accepts %s',
    async (callbackUri) => {
      expect((await svc.client.send('POST', '', callBody({ callbackUri }))).status).toBe(201);
    },
  );
});

describe('an accepted callback is delivered or dead-lettered with a reason, never dropped', () => {
  it('a call whose stored callbackUri carries user:password@ (from before the policy) dead-letters at once, saying why', async () => {
    const { client } = svc;
    const callId = (await client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    await bot.waitFor(1, (n) => bot.of(callId).includes(n));
    const withCredentials = bot.callbackUri.replace('http://', 'http://user:secret@');
    await svc.table.updateEntity({ partitionKey: callId, rowKey: CALL_ROW, callbackUri: withCredentials }, 'Merge');

    const played = await client.action(callId, 'playPrompt', promptBody('after'));
    expect(played.res.status).toBe(200);
    const letters = await eventually(async () => {
      const res = await fetch(`${svc.host.url}/notifications/deadLetters?callId=${callId}`);
      const body = (await res.json()) as { value: { reason: string; lastError: string; callbackUri: string }[] };
      if (body.value.length === 0) throw new Error('no dead letter yet');
      return body.value;
    }, 10_000);
    expect(letters[0]?.reason).toBe('refused by the callback');
    expect(letters[0]?.lastError).toContain('user information');
    expect(letters[0]?.lastError).not.toContain('secret');
  });
});
