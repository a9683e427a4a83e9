import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { enqueueMedia } from '../../../src/calls/media';
import { createOutgoingCall } from '../../../src/calls/lifecycle';
import type { Call } from '../../../src/calls/model';
import { loadConfig } from '../../../src/config';
import { graphErrorOf } from '../../../src/api/error-boundary';
import { Contention } from '../../../src/service/errors';
import { commitChange, commitNewCall, domainContext, MAX_COMMIT_ATTEMPTS } from '../../../src/service/commit';
import { createServices } from '../../../src/app/services';
import type { Services } from '../../../src/service/services';
import { CallStore } from '../../../src/store/call-store';
import { KeyedMutex } from '../../../src/store/keyed-mutex';
import type { DomainContext } from '../../../src/calls/draft';
import { storageAccount } from '../../../src/store/connection';
import { prompt } from '../../unit/calls/fixtures';
import { APP, OTHER_APP, TENANT } from '../../support/graph';
import { isolatedSettings, provisioned } from '../../support/storage';

/** The service's pieces in this process on a table of their own, and a call committed there. */
async function storedCall() {
  const settings = isolatedSettings();
  await provisioned(settings);
  const s = createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
  const call = await commitNewCall(s, (ctx) => createOutgoingCall(outgoing(), ctx));
  return { s, call };
}

/** What an app asks for when it places a call. */
function outgoing(): Parameters<typeof createOutgoingCall>[0] {
  return { id: crypto.randomUUID(), owner: { tenantId: TENANT, appId: APP }, callbackUri: 'https://bot.example/cb', family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: 'https://svc', resource: {} };
}

/** The same services over a table whose transactions go through `submit`. */
function withTransactions(s: Services, submit: TableClient['submitTransaction']): Services {
  const table = Object.create(s.calls.table) as TableClient;
  table.submitTransaction = submit;
  return { ...s, calls: new CallStore(table) };
}

describe('commitChange', () => {
  it('answers notFound for another app’s call, and unchanged when the decision changes nothing', async () => {
    const { s, call } = await storedCall();
    const decide = (c: Call) => ({ call: c, created: [], patches: [], events: [], result: undefined });
    expect(await commitChange(s, call.id, decide, { owner: { tenantId: TENANT, appId: OTHER_APP } })).toEqual({ kind: 'notFound' });
    expect(await commitChange(s, crypto.randomUUID(), decide)).toEqual({ kind: 'notFound' });
    const unchanged = await commitChange(s, call.id, () => undefined);
    expect(unchanged).toMatchObject({ kind: 'unchanged', call: { id: call.id, version: call.version } });
  });

  it('gives up after a bounded number of lost races, as contention that the edge answers with a 503 saying to retry', async () => {
    const { s, call } = await storedCall();
    let tries = 0;
    const losing = withTransactions(s, async () => {
      tries++;
      throw Object.assign(new Error('precondition failed'), { statusCode: 412 });
    });
    const attempt = commitChange(losing, call.id, (c, ctx) => enqueueMedia(c, prompt('p'), ctx));
    // The service says what happened; the HTTP edge answers 503 with Retry-After from it.
    await expect(attempt).rejects.toBeInstanceOf(Contention);
    await expect(attempt).rejects.toMatchObject({ retryAfterSeconds: 1 });
    const answer = graphErrorOf(await attempt.catch((error: unknown) => error));
    expect(answer).toMatchObject({ status: 503, code: 'serviceNotAvailable', headers: { 'Retry-After': '1' } });
    expect(tries).toBe(MAX_COMMIT_ATTEMPTS);
  });
});

/**
 * A transaction whose reply is lost after it committed, and another writer that commits on top of
 * it before the SDK's retry runs into the changed ETag: the commit must see that its own change is
 * in, not decide it again.
 */
describe('a commit whose reply was lost while others committed on top', () => {
  it('is recognised as done by its id among the call row’s recent changes', async () => {
    const { s, call } = await storedCall();
    const other = { ...s, calls: new CallStore(s.calls.table) };
    let lost = false;
    const flaky = withTransactions(s, async (actions) => {
      const result = await s.calls.table.submitTransaction(actions);
      if (lost) return result;
      lost = true;
      // Someone else (another instance: no shared in-process lock) commits on top, then our reply
      // "arrives" as the retry's 412.
      const theirs = await other.calls.load(call.id);
      const change = enqueueMedia(theirs!.record.call, prompt('theirs'), domainContext(s));
      expect(await other.calls.submit({ change, notifications: [], loaded: theirs, changeId: crypto.randomUUID(), now: Date.now() })).toBe('committed');
      throw Object.assign(new Error('precondition failed'), { statusCode: 412 });
    });
    let decisions = 0;
    const outcome = await commitChange(flaky, call.id, (c, ctx) => {
      decisions++;
      return enqueueMedia(c, prompt('mine'), ctx);
    });
    expect(outcome.kind).toBe('changed');
    expect(decisions).toBe(1);
    const stored = (await s.calls.load(call.id))?.record.call as Call;
    expect(stored.mediaQueue.map((e) => e.id)).toEqual(['mine', 'theirs']);
  });
});


/** Another instance on the same table: its own process state, no shared lock or remembered rows. */
function anotherInstance(s: Services): Services {
  return { ...s, calls: new CallStore(s.calls.table), callLocks: new KeyedMutex() };
}

/** The services with their table's point reads counted. */
function countingReads(s: Services): { s: Services; reads: () => number } {
  let reads = 0;
  const table = Object.create(s.calls.table) as TableClient;
  table.getEntity = (...args) => {
    reads++;
    return s.calls.table.getEntity(...args);
  };
  const calls = new CallStore(table);
  return { s: { ...s, calls }, reads: () => reads };
}

/** Queues prompt `id` on the call, as instance `s`. */
const queue = (s: Services, callId: string, id: string) => commitChange(s, callId, (c, ctx) => enqueueMedia(c, prompt(id), ctx));
/** The call's media queue as stored. */
const queued = async (s: Services, callId: string) => ((await s.calls.load(callId))?.record.call as Call).mediaQueue.map((e) => e.id);

describe('the call row this instance wrote last', () => {
  it('is what a read of the row returns, ETag included', async () => {
    const { s, call } = await storedCall();
    await queue(s, call.id, 'p');
    const remembered = s.calls.lend(call.id);
    expect(remembered).toEqual(await new CallStore(s.calls.table).load(call.id));
  });

  it('saves the read: a change decided on it reads nothing', async () => {
    const { s: base, call } = await storedCall();
    const { s, reads } = countingReads(base);
    await queue(s, call.id, 'first');
    expect(reads()).toBe(1);
    await queue(s, call.id, 'second');
    await queue(s, call.id, 'third');
    expect(reads()).toBe(1);
    expect(await queued(s, call.id)).toEqual(['first', 'second', 'third']);
  });

  it('once another instance changed the call, is refused by storage; the change reads the row and is decided again on it', async () => {
    const { s, call } = await storedCall();
    await queue(s, call.id, 'mine-1');
    await queue(anotherInstance(s), call.id, 'theirs');
    const decidedOn: string[][] = [];
    const outcome = await commitChange(s, call.id, (c, ctx) => {
      decidedOn.push(c.mediaQueue.map((e) => e.id));
      return enqueueMedia(c, prompt('mine-2'), ctx);
    });
    expect(outcome.kind).toBe('changed');
    expect(decidedOn).toEqual([['mine-1'], ['mine-1', 'theirs']]);
    expect(await queued(s, call.id)).toEqual(['mine-1', 'theirs', 'mine-2']);
  });

  it('is not trusted to change nothing or to refuse: the row is read and the decision made on it', async () => {
    const { s, call } = await storedCall();
    await queue(s, call.id, 'mine');
    await queue(anotherInstance(s), call.id, 'theirs');
    // As a media-clock message whose timer another instance set: on the old row it looks stale.
    const afterTheirs = (c: Call, ctx: DomainContext) => (c.mediaQueue.some((e) => e.id === 'theirs') ? enqueueMedia(c, prompt('next'), ctx) : undefined);
    expect((await commitChange(s, call.id, afterTheirs)).kind).toBe('changed');

    await queue(anotherInstance(s), call.id, 'theirs-2');
    const refusing = (c: Call, ctx: DomainContext) => {
      if (!c.mediaQueue.some((e) => e.id === 'theirs-2')) throw new Error('a rule the old row breaks');
      return enqueueMedia(c, prompt('last'), ctx);
    };
    expect((await commitChange(s, call.id, refusing)).kind).toBe('changed');
    expect(await queued(s, call.id)).toEqual(['mine', 'theirs', 'next', 'theirs-2', 'last']);
  });
});

/** The services with their media-clock queue's sends replaced. */
function withClockSends(s: Services, send: Services['mediaClock']['send']): Services {
  const mediaClock = Object.create(s.mediaClock) as Services['mediaClock'];
  mediaClock.send = send;
  return { ...s, mediaClock };
}

describe('the media-clock message of a change', () => {
  it('goes out beside the transaction, not before it: a request waits one round trip, not two', async () => {
    const { s: base } = await storedCall();
    let transactionStarted!: () => void;
    const started = new Promise<void>((resolve) => (transactionStarted = resolve));
    const table = Object.create(base.calls.table) as TableClient;
    table.submitTransaction = (actions) => {
      transactionStarted();
      return base.calls.table.submitTransaction(actions);
    };
    // A send that only finishes once the transaction has started: a send awaited before it never would.
    let sent = 0;
    const s = withClockSends({ ...base, calls: new CallStore(table) }, async (message, delay) => {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('the transaction waited for the send')), 2000).unref());
      await Promise.race([started, late]);
      await base.mediaClock.send(message, delay);
      sent++;
    });
    const call = await commitNewCall(s, (ctx) => createOutgoingCall(outgoing(), ctx));
    // The send went out and finished: a new call's one wake-up, its timer (to be established).
    expect(sent).toBe(1);
    expect((await s.calls.load(call.id))?.record.call.timer?.token).toBe(call.timer?.token);
  });

  it('that cannot be sent does not undo the change it belongs to: the sweeper sends it again', async () => {
    const { s: base } = await storedCall();
    const s = withClockSends(base, () => Promise.reject(new Error('queue unavailable')));
    const call = await commitNewCall(s, (ctx) => createOutgoingCall(outgoing(), ctx));
    expect(call.timer).toBeDefined();
    expect((await s.calls.load(call.id))?.record.call.id).toBe(call.id);
  });
});
