import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { enqueueMedia } from '../../../src/calls/media';
import { createOutgoingCall } from '../../../src/calls/lifecycle';
import type { Call } from '../../../src/calls/model';
import { loadConfig } from '../../../src/config';
import { createServices, domainContext } from '../../../src/service/services';
import { CallBusyError, CallStore, MAX_CHANGE_ATTEMPTS } from '../../../src/store/call-store';
import { storageAccount } from '../../../src/store/connection';
import { prompt } from '../../unit/calls/fixtures';
import { APP, TENANT } from '../../support/graph';
import { isolatedSettings, provisioned } from '../../support/storage';

/**
 * A transaction whose reply is lost after it committed, and another writer that commits on top of
 * it before the SDK's retry runs into the changed ETag: the store must see that its own change is
 * in, not decide it again.
 */
/** The service's pieces in this process on a table of their own, and a call stored there. */
async function storedCall() {
  const settings = isolatedSettings();
  await provisioned(settings);
  const s = createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
  const change = createOutgoingCall(
    { id: crypto.randomUUID(), owner: { tenantId: TENANT, appId: APP }, callbackUri: 'https://bot.example/cb', family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: 'https://svc', resource: {} },
    domainContext(s),
  );
  await s.store.insert({ change, notifications: [] }, Date.now());
  return { s, change };
}

describe('a call changed by too many writers at once', () => {
  it('gives up after a bounded number of lost races, with CallBusyError (a 503 with Retry-After)', async () => {
    const { s, change } = await storedCall();
    const alwaysLoses = Object.create(s.store.table) as TableClient;
    let tries = 0;
    alwaysLoses.submitTransaction = async () => {
      tries++;
      throw Object.assign(new Error('precondition failed'), { statusCode: 412 });
    };
    const attempt = new CallStore(alwaysLoses).mutate(change.call.id, (record) => ({ change: enqueueMedia(record.call, prompt('p'), domainContext(s)), notifications: [] }), { now: Date.now });
    await expect(attempt).rejects.toBeInstanceOf(CallBusyError);
    expect(tries).toBe(MAX_CHANGE_ATTEMPTS);
  });
});

describe('a commit whose reply was lost while others committed on top', () => {
  it('is recognised as done by its id among the call row’s recent changes', async () => {
    const { s, change } = await storedCall();
    const callId = change.call.id;

    const other = new CallStore(s.store.table);
    const flaky = Object.create(s.store.table) as TableClient;
    let lost = false;
    flaky.submitTransaction = async (actions) => {
      const result = await s.store.table.submitTransaction(actions);
      if (lost) return result;
      lost = true;
      // Someone else commits on top, then our reply "arrives" as the retry's 412.
      await other.mutate(callId, (record) => ({ change: enqueueMedia(record.call, prompt('theirs'), domainContext(s)), notifications: [] }), { now: Date.now });
      throw Object.assign(new Error('precondition failed'), { statusCode: 412 });
    };
    const store = new CallStore(flaky);
    let decisions = 0;
    const result = await store.mutate(
      callId,
      (record) => {
        decisions++;
        return { change: enqueueMedia(record.call, prompt('mine'), domainContext(s)), notifications: [] };
      },
      { now: Date.now },
    );
    expect(result?.planned).toBeDefined();
    expect(decisions).toBe(1);
    const call = (await s.store.load(callId))?.record.call as Call;
    expect(call.mediaQueue.map((e) => e.id)).toEqual(['mine', 'theirs']);
  });
});
