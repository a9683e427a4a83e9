import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureLocalCa, issueServerCertificate } from '../../tools/https/local-ca';
import { eventually } from '../support/eventually';
import { GraphClient, partition, token } from '../support/graph';
import { serviceForFile, startService, type RunningService } from '../support/service';
import { summary, testBot, type TestBot } from '../support/bot';

// The host must not trust the local CA through the test process's NODE_EXTRA_CA_CERTS, or these
// tests would pass whatever CALLBACK_CA_FILE does.
const UNTRUSTING = { NODE_EXTRA_CA_CERTS: '' };

const svc = serviceForFile({ deliver: true, env: UNTRUSTING });
let otherCaDir: string;
const bots: TestBot[] = [];
beforeAll(async () => {
  otherCaDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calls-other-ca-')), 'ca');
});
afterAll(async () => {
  await Promise.all(bots.map((b) => b.close()));
  fs.rmSync(path.dirname(otherCaDir), { recursive: true, force: true });
});

async function httpsBot(serviceUrl: string, caDir: string): Promise<TestBot> {
  const bot = await testBot(serviceUrl, { tls: await issueServerCertificate(await ensureLocalCa(caDir)) });
  bots.push(bot);
  return bot;
}

async function client(service: RunningService): Promise<GraphClient> {
  return new GraphClient(service.host.httpsUrl ?? '', await token());
}

describe('notifications to https callbacks', () => {
  it('are delivered to a bot whose certificate comes from the local CA', async () => {
    const bot = await httpsBot(svc.host.httpsUrl ?? '', inject('localCaDir'));
    expect(bot.callbackUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/callback$/);
    const call = await (await client(svc)).createCall({ callbackUri: bot.callbackUri });
    const notes = await bot.waitFor(2, (n) => bot.of(call['id']).includes(n));
    expect(notes.map(summary)).toEqual(['call:establishing', 'call:established']);
    // The token's issuer is the https origin the call was created on.
    expect(notes[0]?.claims.iss).toBe(svc.host.httpsUrl);
  });

  it('are not delivered to a certificate from a CA nobody trusts, and the outbox says why', async () => {
    const bot = await httpsBot(svc.host.httpsUrl ?? '', otherCaDir);
    const call = await (await client(svc)).createCall({ callbackUri: bot.callbackUri });
    const lastError = await eventually(async () => {
      const [row] = (await partition(svc.table, call['id'])).outbox;
      if (!row?.lastError) throw new Error('no failed attempt yet');
      return row.lastError;
    });
    expect(lastError).toMatch(/CERT|certificate|SIGNATURE|ISSUER/i);
    expect(bot.received).toEqual([]);
  });

  it('are delivered to a certificate from the CA file CALLBACK_CA_FILE names', async () => {
    const other = await ensureLocalCa(otherCaDir);
    const second = await startService({ deliver: true, env: { ...UNTRUSTING, CALLBACK_CA_FILE: other.certFile } });
    try {
      const bot = await httpsBot(second.host.httpsUrl ?? '', otherCaDir);
      const call = await (await client(second)).createCall({ callbackUri: bot.callbackUri });
      const notes = await bot.waitFor(2, (n) => bot.of(call['id']).includes(n));
      expect(notes.map(summary)).toEqual(['call:establishing', 'call:established']);
    } finally {
      await second.host.stop();
    }
  });
});
