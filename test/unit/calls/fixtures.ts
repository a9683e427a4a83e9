import type { DomainContext } from '../../../src/calls/draft';
import { createOutgoingCall, establish } from '../../../src/calls/lifecycle';
import { CallDraft } from '../../../src/calls/draft';
import type { Call, CallChange, MediaRequest, RecordParameters } from '../../../src/calls/model';
import { CallRuleViolation } from '../../../src/calls/rules';

export const TIMING = { promptMs: 2000, beepMs: 500, establishMs: 1000, answerTimeoutMs: 15_000, keepAliveMs: 2_700_000, targetAnswerMs: 1000, transferTimeoutMs: 30_000, dtmfToneMs: 100 };

/** A frozen clock and counting ids, so decisions are reproducible. */
export function context(now: number, prefix = 'id'): DomainContext {
  let n = 0;
  return {
    now,
    timing: TIMING,
    newId: () => `${prefix}-${++n}`,
    recording: (call, operationId) => ({ location: `https://svc/recordings/${call.id}/${operationId}`, accessToken: `token-${operationId}` }),
  };
}

export function newCall(now = 0): Call {
  return createOutgoingCall(
    {
      id: 'call-1',
      owner: { tenantId: 't', appId: 'a' },
      callbackUri: 'https://bot.example/cb',
      family: 'communications',
      apiVersion: 'v1.0',
      mediaHosting: 'service',
      baseUrl: 'https://svc',
      resource: {},
    },
    context(now, 'create'),
  ).result;
}

export function establishedCall(now = 1000): Call {
  const draft = new CallDraft(newCall(0), context(now, 'est'));
  establish(draft);
  return draft.finish(undefined).call;
}

export function prompt(id: string, count = 1, clientContext?: string): MediaRequest {
  return {
    id,
    type: 'playPrompt',
    ...(clientContext && { clientContext }),
    parameters: { prompts: Array.from({ length: count }, (_, i) => ({ uri: `https://cdn/p${i}.wav` })), loop: false },
  };
}

export function record(id: string, overrides: Partial<RecordParameters> = {}): MediaRequest {
  return {
    id,
    type: 'recordResponse',
    parameters: {
      prompts: [],
      bargeInAllowed: false,
      initialSilenceTimeoutInSeconds: 5,
      maxSilenceTimeoutInSeconds: 5,
      maxRecordDurationInSeconds: 5,
      playBeep: true,
      stopTones: ['#'],
      streamWhileRecording: false,
      ...overrides,
    },
  };
}

/** The (id, status) pairs of the operation events a change produced, in order. */
export function endedOperations(change: CallChange<unknown>) {
  return change.events.flatMap((e) => (e.kind === 'operation' ? [[e.operation.id, e.operation.status, e.operation.completionReason]] : []));
}

/** The rule a decision broke (its stable code), or undefined when it went through. */
export function ruleOf(decide: () => unknown): string | undefined {
  try {
    decide();
  } catch (e) {
    if (e instanceof CallRuleViolation) return e.code;
    throw e;
  }
  return undefined;
}
