import http from 'node:http';
import { decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP, promptBody, TENANT } from '../support/graph';
import { serviceForFile, startService } from '../support/service';
import { summary, type TestBot } from '../support/bot';

const svc = serviceForFile({ deliver: true });
let bot: TestBot;
beforeAll(async () => {
  bot = await svc.bot();
});

describe('notification delivery', () => {
  it('brings the bot the cancelled operations (failed, 400/8508) and then the cancel, in order, with valid tokens', async () => {
    const { client } = svc;
    const id = (await client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    const ops = [];
    for (const name of ['welcome', 'menu']) ops.push((await client.action(id, 'playPrompt', promptBody(name))).json['id']);
    ops.push((await client.action(id, 'recordResponse', { clientContext: 'answer' })).json['id']);
    const cancel = await client.action(id, 'cancelMediaProcessing', { clientContext: 'reset' });

    const notes = await bot.waitFor(6, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual([
      'call:establishing',
      'call:established',
      'playPromptOperation:failed:welcome',
      'playPromptOperation:failed:menu',
      'recordOperation:failed:answer',
      'cancelMediaProcessingOperation:completed:reset',
    ]);
    expect(notes.slice(2, 5).map((n) => n.notification['resourceData']['id'])).toEqual(ops);
    for (const n of notes.slice(2, 5)) {
      expect(n.notification['resourceData']['resultInfo']).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' });
    }
    expect(notes[5]?.notification['resourceData']['id']).toBe(cancel.json['id']);

    // Each POST carried a token the bot validated against the service's JWKS: audience = the bot, tenant, issuer = the service.
    expect(bot.rejected).toEqual([]);
    for (const n of notes) {
      expect(n.claims).toMatchObject({ aud: APP, tid: TENANT, iss: svc.host.url });
      expect((n.claims.exp ?? 0) - (n.claims.iat ?? 0)).toBeLessThanOrEqual(600);
    }
    // Every notification has its own stable id.
    expect(new Set(notes.map((n) => n.id)).size).toBe(notes.length);
  });

  it('publishes its OpenID configuration and keys like Graph does', async () => {
    const config = (await (await fetch(`${svc.host.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ issuer: svc.host.url, jwks_uri: `${svc.host.url}/.well-known/jwks.json` });
    const { keys } = (await (await fetch(String(config['jwks_uri']))).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('arrives in sequence order under a burst, one POST at a time per call: 200 tones to a bot that answers after random delays', async () => {
    const { client } = svc;
    // A bot that takes 0-20 ms per answer: were POSTs of one call sent concurrently, they would
    // overlap here and could arrive out of order.
    let inFlight = 0;
    let mostInFlight = 0;
    const slowBot = await svc.bot({
      reply: async () => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        inFlight--;
        return { status: 202 };
      },
    });
    const id = (await client.establishedCall({ callbackUri: slowBot.callbackUri }))['id'] as string;
    await client.action(id, 'subscribeToTone', {});
    const press = (tone: string) => client.emulator(`calls/${id}/tones`, { tones: [tone] });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => press(String(i % 10))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const tones = await slowBot.waitFor(200, (n) => slowBot.of(id).includes(n) && summary(n).startsWith('tone:'), 60_000);
    expect(tones.map((n) => n.notification['resourceData']['toneInfo']['sequenceId'])).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(mostInFlight).toBe(1);
  });

  it('keeps a call’s order when two instances deliver it', async () => {
    const other = await startService({ reuse: svc.settings });
    try {
      const id = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
      await svc.client.action(id, 'subscribeToTone', {});
      // Changes arrive through both instances, and both drain the call's outbox.
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 === 0 ? svc : other).client.emulator(`calls/${id}/tones`, { tones: ['1'] }),
        ),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      const tones = await bot.waitFor(60, (n) => bot.of(id).includes(n) && summary(n).startsWith('tone:'), 60_000);
      expect(tones.map((n) => n.notification['resourceData']['toneInfo']['sequenceId'])).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await other.host.stop();
    }
  });

  it('signs with the key the JWKS publishes', async () => {
    const { keys } = (await (await fetch(`${svc.host.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    const header = decodeProtectedHeader(await lastToken());
    expect(header).toMatchObject({ alg: 'ES256', kid: keys[0]?.kid, typ: 'JWT' });
  });
});

/** A fresh token, captured by a second bot that records raw Authorization headers. */
async function lastToken(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      res.writeHead(202).end();
      server.close();
      resolve(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    });
    server.listen(0, '127.0.0.1', async () => {
      const { port } = server.address() as { port: number };
      try {
        await svc.client.createCall({ callbackUri: `http://127.0.0.1:${port}/cb` });
      } catch (error) {
        reject(error);
      }
    });
  });
}
