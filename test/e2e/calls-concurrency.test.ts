import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { partition, promptBody } from '../support/graph';
import { serviceForFile, startService, type RunningService } from '../support/service';

// Short prompts, so media-clock completions race with the requests too. Two instances of the
// app share the storage, as scaled-out Function App instances do.
const svc = serviceForFile({ env: { PROMPT_DURATION_MS: '1000' } });
let second: RunningService;
beforeAll(async () => {
  second = await startService({ reuse: svc.settings });
});
afterAll(async () => {
  await second?.host.stop();
});

describe('many requests at one call at once', () => {
  it('leave one consistent state: every operation terminal once, one notification per terminal transition, none lost', async () => {
    const { client } = svc;
    const callId = (await client.establishedCall())['id'] as string;

    const requests: Promise<{ action: string; status: number; id?: string }>[] = [];
    const fire = (action: string, body: unknown) => {
      const instance = requests.length % 2 === 0 ? client : second.client;
      requests.push(
        instance.action(callId, action, body).then(({ res, json }) => ({ action, status: res.status, id: json['id'] as string | undefined })),
      );
    };
    for (let i = 0; i < 40; i++) fire('playPrompt', promptBody(`p${i}`));
    for (let i = 0; i < 8; i++) fire('recordResponse', { clientContext: `r${i}`, bargeInAllowed: i % 2 === 0 });
    for (let i = 0; i < 10; i++) fire('cancelMediaProcessing', { clientContext: `c${i}`, all: i % 3 !== 0 });
    for (let i = 0; i < 4; i++) fire('subscribeToTone', { clientContext: `s${i}` });
    const results = await Promise.all(requests);

    // Every request was accepted: retries on the call row absorbed the contention.
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Settle: cancel whatever is still queued.
    expect((await client.action(callId, 'cancelMediaProcessing', { clientContext: 'final' })).res.status).toBe(200);

    const { operations, outbox, rows } = await eventually(async () => {
      const p = await partition(svc.table, callId);
      const open = p.operations.filter((op) => op.status === 'running' || op.status === 'notStarted');
      expect(open).toEqual([]);
      return p;
    });

    // Nothing lost: every accepted operation has its row, and no row is unaccounted for.
    const accepted = results.map((r) => r.id).sort();
    const stored = operations.map((op) => op.id).filter((id) => id !== undefined);
    expect(stored.length).toBe(accepted.length + 1);
    for (const id of accepted) expect(stored).toContain(id);

    // One notification per terminal transition, agreeing with the row.
    const notified = outbox.sort((a, b) => a.seq - b.seq).flatMap((row) => row.notifications as Record<string, any>[]); // eslint-disable-line @typescript-eslint/no-explicit-any
    const perOperation = new Map<string, string[]>();
    for (const n of notified) {
      const data = n['resourceData'];
      if (data['status']) perOperation.set(data['id'], [...(perOperation.get(data['id']) ?? []), data['status']]);
    }
    for (const op of operations) {
      const expected = op.type === 'subscribeToTone' ? [] : [op.status];
      expect({ id: op.id, type: op.type, notified: perOperation.get(op.id) ?? [] }).toEqual({ id: op.id, type: op.type, notified: expected });
    }
    expect([...perOperation.keys()].every((id) => operations.some((op) => op.id === id))).toBe(true);

    // The outbox sequence has no gaps, and the call row agrees the queue is empty.
    expect(outbox.map((r) => r.seq)).toEqual(outbox.map((_, i) => i));
    const callRow = rows.find((r) => r['rowKey'] === 'call');
    expect(JSON.parse(String(callRow?.['mediaQueue']))).toEqual([]);
  });
});
