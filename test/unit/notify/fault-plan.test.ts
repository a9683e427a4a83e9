import { describe, expect, it } from 'vitest';
import type { FaultProfile } from '../../../src/faults/profile';
import { DeliveryFaults, POST_ONCE } from '../../../src/notify/faults';
import type { OutboxRow, Recipient } from '../../../src/store/outbox-row';

const state = (s: string) => ({ changeType: 'updated', resourceData: { '@odata.type': '#microsoft.graph.call', state: s } });
const tone = { changeType: 'updated', resourceData: { '@odata.type': '#microsoft.graph.call', toneInfo: { tone: 'tone1' } } };

function row(notifications: Record<string, unknown>[], seq = 0): OutboxRow {
  return { callId: 'c', seq, recipient: {} as Recipient, notifications, ids: notifications.map((_, i) => `id${i}`), createdAt: 1000, delivered: 0, attempts: 0, nextAttemptAt: 1000 };
}
const faults = (notifications: FaultProfile['notifications']) => new DeliveryFaults({ seed: 1, notifications } as FaultProfile);

describe('the fault plan: one answer per notification', () => {
  it('without a fault that applies, a notification is posted once', () => {
    expect(faults({ duplicate: { rate: 1, kinds: ['operation'] } }).plan(row([tone]), 0, undefined, 1000)).toEqual(POST_ONCE);
  });

  it('posts twice what the profile duplicates', () => {
    expect(faults({ duplicate: { rate: 1 } }).plan(row([tone]), 0, undefined, 1000)).toEqual({ kind: 'post', twice: true });
  });

  it('holds back what it drops or delays, until a time', () => {
    expect(faults({ drop: { rate: 1, redeliverAfterMs: 500 } }).plan(row([tone]), 0, undefined, 1000)).toEqual({ kind: 'hold', hold: { fault: 'dropped', until: 1500 } });
  });

  it('posts the next state change first when it swaps two, and waits within the window when none has come yet', () => {
    const reorder = faults({ reorder: { rate: 1, windowMs: 3000 } });
    const pair = row([state('establishing'), state('established')]);
    expect(reorder.plan(pair, 0, undefined, 1000)).toEqual({ kind: 'partnerFirst', partner: { row: pair, index: 1 }, twice: false });
    expect(reorder.plan(row([state('establishing')]), 0, undefined, 1000)).toEqual({ kind: 'hold', hold: { fault: 'reorderWait', until: 4000 } });
    expect(reorder.plan(row([state('establishing')]), 0, undefined, 5000)).toEqual(POST_ONCE);
  });

  it('loses for good, or posts empty, what the profile spoils, before any other fault, and only the kinds it names', () => {
    expect(faults({ lose: { rate: 1 }, drop: { rate: 1, redeliverAfterMs: 500 } }).plan(row([tone]), 0, undefined, 1000)).toEqual({ kind: 'lose' });
    expect(faults({ empty: { rate: 1, kinds: ['tone'] } }).plan(row([tone]), 0, undefined, 1000)).toEqual({ kind: 'empty' });
    expect(faults({ empty: { rate: 1, kinds: ['callState'] } }).plan(row([tone]), 0, undefined, 1000)).toEqual(POST_ONCE);
  });
});
