import { describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/api/request-faults';
import { decideCallFaults, decidePromptFault, endResult } from '../../../src/faults/call-faults';
import { faultProfileSchema, type FaultProfile } from '../../../src/faults/profile';

const parse = (input: unknown) => faultProfileSchema.safeParse(input);
const profile = (calls: unknown, seed = 5): FaultProfile => ({ ...faultProfileSchema.parse({ calls }), seed });

describe('the call faults of a profile', () => {
  it('default to the real codes: a drop is 500/1999 at once, a call that never establishes ends 500/7117 after 10 s', () => {
    expect(profile({ drop: {}, neverEstablish: {} }).calls).toEqual({
      drop: { rate: 1, afterMs: 0, preset: '500/1999' },
      neverEstablish: { rate: 1, endAfterMs: 10_000, preset: '500/7117' },
    });
  });

  it('name what is wrong with them', () => {
    expect(parse({ calls: { drop: { preset: '500/1234' } } }).success).toBe(false);
    expect(parse({ calls: { failActions: {} } }).error?.issues[0]?.message).toBe("or 'next' is required");
    expect(parse({ calls: { prompts: { outcome: 'silence' } } }).success).toBe(false);
    expect(parse({ calls: { drop: { resultInfo: { code: 5000, subcode: 1 } } } }).success).toBe(false);
  });

  it('give a preset its message, and an own resultInfo the same form', () => {
    expect(endResult('500/3002')).toEqual({ code: 500, subcode: 3002, message: 'Server Internal Error. DiagCode: 500#3002.@' });
    expect(endResult('500/1999', { code: 410, subcode: 301005 })).toEqual({ code: 410, subcode: 301005, message: 'Server Internal Error. DiagCode: 410#301005.@' });
    expect(endResult('500/1999', { code: 410, subcode: 301005, message: 'Media connectivity failure.' }).message).toBe('Media connectivity failure.');
  });
});

describe('deciding a call fault', () => {
  it('draws from the seed and the request number: the same in every run, a share of calls at a rate', () => {
    const { calls, seed } = profile({ drop: { rate: 0.2, afterMs: 3000 } });
    const dropped = (s: number) => Array.from({ length: 500 }, (_, n) => decideCallFaults(calls, s, n) !== undefined);
    expect(dropped(seed)).toEqual(dropped(seed));
    expect(dropped(seed)).not.toEqual(dropped(seed + 1));
    const share = dropped(seed).filter(Boolean).length / 500;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
  });

  it('never establishes before it drops: a call that never comes up cannot drop', () => {
    const { calls } = profile({ drop: {}, neverEstablish: {} });
    expect(decideCallFaults(calls, 1, 0)).toEqual({ neverEstablish: { endAfterMs: 10_000, resultInfo: { code: 500, subcode: 7117, message: 'Server Internal Error. DiagCode: 500#7117.@' } } });
  });

  it('spoils prompts with the outcome named', () => {
    expect(decidePromptFault(profile({ prompts: { outcome: 'mediaError' } }).calls, 1, 0)).toBe('mediaError');
    expect(decidePromptFault(undefined, 1, 0)).toBeUndefined();
  });

  it('fails the next actions on a call, never the request that places one, and never a throttled one twice', () => {
    const p = profile({ failActions: { next: 2 } });
    expect(decideRequest(p, 'callActions', true, 0)).toEqual({ refuse: 'actionFailed' });
    expect(decideRequest(p, 'reads', true, 1)).toEqual({ refuse: 'actionFailed' });
    expect(decideRequest(p, 'callActions', true, 2)).toEqual({});
    expect(decideRequest(p, 'createCall', false, 0)).toEqual({});
    const both = { ...p, api: { throttle: { next: 1, retryAfterSeconds: 2 } } };
    expect(decideRequest(both, 'callActions', true, 0)).toEqual({ refuse: 'throttled' });
  });
});
