import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../src/store/call-row';
import { RememberedCalls, type LoadedCall } from '../../../src/store/remembered-calls';

const row = (etag: string): LoadedCall => ({ record: { outboxSeq: 0 } as unknown as CallRecord, etag });

describe('remembered call rows', () => {
  it('lends the row last written or read, and none for a call it has not seen or that is gone', () => {
    const remembered = new RememberedCalls();
    expect(remembered.lend('a')).toBeUndefined();
    const written = row('1');
    remembered.wrote('a', undefined, written);
    expect(remembered.lend('a')).toBe(written);
    remembered.read('a', undefined);
    expect(remembered.lend('a')).toBeUndefined();
  });

  it('forgets a row whose transaction was refused', () => {
    const remembered = new RememberedCalls();
    remembered.wrote('a', undefined, row('1'));
    remembered.refused('a', remembered.lend('a'));
    expect(remembered.lend('a')).toBeUndefined();
  });

  it('stops lending while most rows turn out stale (instances taking turns), and lends again once they are current', () => {
    const remembered = new RememberedCalls();
    // Each change of another instance moves the row: this instance's next read finds another ETag.
    for (let i = 0; i < 40; i++) {
      remembered.wrote('a', undefined, row(`mine-${i}`));
      remembered.read('a', row(`theirs-${i}`));
    }
    expect(remembered.staleShare).toBeGreaterThan(1 / 3);
    remembered.wrote('a', undefined, row('mine'));
    expect(remembered.lend('a')).toBeUndefined();

    // Alone again: every read finds the row as written, and lending resumes.
    for (let i = 0; i < 40; i++) {
      remembered.wrote('a', undefined, row(`${i}`));
      remembered.read('a', row(`${i}`));
    }
    expect(remembered.staleShare).toBeLessThan(1 / 3);
    expect(remembered.lend('a')?.etag).toBe('39');
  });

  it('counts a lent row that was written over as current, and a refused one as stale', () => {
    const remembered = new RememberedCalls();
    remembered.wrote('a', undefined, row('1'));
    remembered.refused('a', remembered.lend('a'));
    const stale = remembered.staleShare;
    expect(stale).toBeGreaterThan(0);
    remembered.wrote('a', undefined, row('2'));
    remembered.wrote('a', remembered.lend('a'), row('3'));
    expect(remembered.staleShare).toBeLessThan(stale);
    // A write over a row that was read, not lent, says nothing of remembered rows.
    remembered.refused('a', remembered.lend('a'));
    const after = remembered.staleShare;
    const read = row('5');
    remembered.read('a', read);
    remembered.wrote('a', read, row('6'));
    expect(remembered.staleShare).toBe(after);
  });
});
