import { describe, expect, it } from 'vitest';
import { partition, promptBody } from '../support/graph';
import { startService } from '../support/service';
import { restartablePort } from '../../tools/ports';

describe('restarting the host on the same storage', () => {
  it('keeps every call, operation and pending outbox row exactly as it was', async () => {
    // On a port outside the ephemeral range, so nothing else takes it while the host is down.
    const first = await startService({ port: await restartablePort() });
    const { client } = first;
    const callId = (await client.establishedCall())['id'] as string;
    const running = await client.action(callId, 'playPrompt', promptBody('running'));
    const queued = await client.action(callId, 'playPrompt', promptBody('queued'));
    await client.action(callId, 'recordResponse', { clientContext: 'rec' });
    await client.action(callId, 'cancelMediaProcessing', { all: false });
    const before = await partition(first.table, callId);
    const callBefore = await client.getCall(callId);
    expect(before.outbox.length).toBeGreaterThan(0);
    expect(await first.host.stop()).toBe(0);

    const second = await startService({ reuse: first.settings, port: first.host.port });
    try {
      const after = await partition(second.table, callId);
      expect(after.rows.map((r) => [r['rowKey'], r['etag']])).toEqual(before.rows.map((r) => [r['rowKey'], r['etag']]));
      expect(after.outbox).toEqual(before.outbox);
      expect(await second.client.getCall(callId)).toEqual(callBefore);
      expect((await second.client.operation(callId, running.json['id'])).json['status']).toBe('failed');
      expect((await second.client.operation(callId, queued.json['id'])).json['status']).toBe('running');
      // And the call carries on.
      expect((await second.client.action(callId, 'cancelMediaProcessing', {})).res.status).toBe(200);
      expect((await second.client.operation(callId, queued.json['id'])).json['status']).toBe('failed');
    } finally {
      await second.host.stop();
    }
  });
});
