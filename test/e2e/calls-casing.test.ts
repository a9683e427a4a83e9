import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { outboxNotifications, promptBody } from '../support/graph';
import { startService, type RunningService } from '../support/service';

/** operationStatus casing: docs (`running`, the default) or schema (`Running`, GRAPH_ENUM_CASING=schema). */
describe.each([
  ['docs', { running: 'running', notStarted: 'notStarted', completed: 'completed', failed: 'failed' }],
  ['schema', { running: 'Running', notStarted: 'NotStarted', completed: 'Completed', failed: 'Failed' }],
] as const)('with GRAPH_ENUM_CASING=%s', (casing, status) => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ env: { GRAPH_ENUM_CASING: casing } });
  });
  afterAll(async () => {
    await svc?.host.stop();
  });

  it('writes operation status in that casing in responses, GETs and notifications', async () => {
    const { client } = svc;
    const id = (await client.establishedCall())['id'] as string;
    const p1 = await client.action(id, 'playPrompt', promptBody('a'));
    const p2 = await client.action(id, 'playPrompt', promptBody('b'));
    const sub = await client.action(id, 'subscribeToTone', {});
    expect([p1.json['status'], p2.json['status'], sub.json['status']]).toEqual([status.running, status.notStarted, status.completed]);
    expect((await client.operation(id, p2.json['id'])).json['status']).toBe(status.notStarted);
    await client.action(id, 'cancelMediaProcessing', {});
    expect((await client.operation(id, p1.json['id'])).json['status']).toBe(status.failed);
    const statuses = await eventually(async () => {
      const list = (await outboxNotifications(svc.table, id)).flatMap((n) => (n['resourceData']['status'] ? [n['resourceData']['status']] : []));
      expect(list).toHaveLength(3);
      return list;
    });
    expect(statuses).toEqual([status.failed, status.failed, status.completed]);
    // Other enums (call state, change type, completion reasons) have one casing in both.
    expect((await client.getCall(id)).state).toBe('established');
  });
});
