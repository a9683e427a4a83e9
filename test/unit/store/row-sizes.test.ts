import { describe, expect, it } from 'vitest';
import { enqueueMedia } from '../../../src/calls/media';
import type { Call, MediaRequest } from '../../../src/calls/model';
import { MEDIA_QUEUE_LIMIT } from '../../../src/calls/rules';
import { MAX_BODY_BYTES } from '../../../src/graph/body';
import { renderNotifications } from '../../../src/graph/notifications';
import { cancelMediaProcessing } from '../../../src/calls/media';
import { callEntity } from '../../../src/store/call-row';
import { operationEntity } from '../../../src/store/operation-row';
import { outboxEntity, recipientOf } from '../../../src/store/outbox-row';
import { context, establishedCall } from '../calls/fixtures';

/**
 * Table Storage refuses a string property over 64 KiB (32K UTF-16 characters) and an entity over
 * 1 MiB; Azurite enforces the first only. These build the largest rows valid requests can produce.
 */
const MAX_PROPERTY_CHARS = 32 * 1024;
const MAX_ENTITY_BYTES = 1024 * 1024;

function entityBytes(entity: Record<string, unknown>): number {
  // Azure's accounting: 2 bytes per character of names and strings, 8 per number, plus overheads.
  return Object.entries(entity).reduce((sum, [name, value]) => sum + 8 + 2 * name.length + (typeof value === 'string' ? 4 + 2 * value.length : 8), 4);
}

function expectStorable(entity: Record<string, unknown>) {
  for (const [name, value] of Object.entries(entity)) {
    if (typeof value === 'string') expect(value.length, `property ${name}`).toBeLessThanOrEqual(MAX_PROPERTY_CHARS);
  }
  expect(entityBytes(entity)).toBeLessThan(MAX_ENTITY_BYTES);
}

const x = (n: number) => 'x'.repeat(n);
const largestPlay = (id: string): MediaRequest => ({
  id,
  type: 'playPrompt',
  clientContext: x(256),
  parameters: { prompts: Array.from({ length: 20 }, (_, i) => ({ uri: `https://cdn.example.com/${i}/${x(2000)}`, resourceId: x(256) })), loop: false },
});

describe('the largest rows valid requests produce', () => {
  it('fit: an operation with 20 prompts of the longest URIs', () => {
    const change = enqueueMedia(establishedCall(), largestPlay('p'), context(1000));
    expectStorable(operationEntity(change.result));
  });

  it(`fit: a call with ${MEDIA_QUEUE_LIMIT} such operations queued and the largest call body`, () => {
    let call: Call = { ...establishedCall(), resource: { targets: [{ identity: { user: { id: x(MAX_BODY_BYTES - 200) } } }] } };
    for (let i = 0; i < MEDIA_QUEUE_LIMIT; i++) call = enqueueMedia(call, largestPlay(`p${i}`), context(1000)).call;
    expectStorable(callEntity({ call, outboxSeq: 1 }));

    // And the cancel of all of them: its outbox row holds 51 notifications.
    const cancel = cancelMediaProcessing(call, { operationId: 'c', all: true, clientContext: x(256) }, context(2000));
    const notifications = renderNotifications(cancel.call, cancel.events, 'docs');
    expect(notifications).toHaveLength(MEDIA_QUEUE_LIMIT + 1);
    expectStorable(outboxEntity({ callId: call.id, seq: 1, ids: notifications.map((_, i) => `id-${i}`), recipient: recipientOf(call), notifications, createdAt: 0, delivered: 0, attempts: 0, nextAttemptAt: 0 }));
  });
});
