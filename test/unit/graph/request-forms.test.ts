import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOutgoingCall, establish } from '../../../src/calls/lifecycle';
import { CallDraft } from '../../../src/calls/draft';
import { cancelMediaProcessing, enqueueMedia, subscribeToTone } from '../../../src/calls/media';
import { pressTones } from '../../../src/calls/caller';
import type { PathFamily } from '../../../src/calls/model';
import { loadConfig } from '../../../src/config';
import { renderNotifications } from '../../../src/graph/notifications';
import { actionSegment } from '../../../src/graph/paths';
import {
  answerSchema,
  createCallSchema,
  mediaConfig,
  playPromptSchema,
  recordResponseSchema,
  redirectSchema,
  rejectSchema,
  sendDtmfTonesSchema,
  transferSchema,
  updateRecordingStatusSchema,
} from '../../../src/graph/schemas';
import { parseRouteTemplate } from '../../../tools/host/route-template';
import { context, prompt } from '../calls/fixtures';

/**
 * The request forms Microsoft's SDK generations send (graph-comms-spec.md §18.2): namespace-qualified
 * action segments and `@odata.type` without `#` (Microsoft.Graph v1-v4 for .NET), PascalCase enum
 * values (the Communications SDK), and the ids notifications name calls by.
 */
describe('namespace-qualified action segments', () => {
  const ACTIONS = ['answer', 'reject', 'redirect', 'transfer', 'keepAlive', 'playPrompt', 'recordResponse', 'subscribeToTone', 'cancelMediaProcessing', 'sendDtmfTones', 'updateRecordingStatus'];

  it.each(ACTIONS)('%s answers at its name and at microsoft.graph.{name}', (action) => {
    const route = parseRouteTemplate(`v1.0/communications/calls/{callId}/${actionSegment(action)}`);
    expect(route.match(`/v1.0/communications/calls/c1/${action}`)).toMatchObject({ callId: 'c1' });
    expect(route.match(`/v1.0/communications/calls/c1/microsoft.graph.${action}`)).toMatchObject({ callId: 'c1' });
    // Segments match without regard to case, as literal ones do.
    expect(route.match(`/v1.0/communications/calls/c1/Microsoft.Graph.${action.toUpperCase()}`)).toBeDefined();
  });

  it('takes nothing else', () => {
    const route = parseRouteTemplate(`v1.0/communications/calls/{callId}/${actionSegment('playPrompt')}`);
    for (const segment of ['microsoft.graph.playPromptX', 'graph.playPrompt', 'microsoft.graph.', 'microsoftXgraphXplayPrompt', 'playPrompts', 'xplayPrompt']) {
      expect(route.match(`/v1.0/communications/calls/c1/${segment}`), segment).toBeUndefined();
    }
  });
});

describe('@odata.type with or without the leading #', () => {
  const prompts = (type: (name: string) => string) => [{ '@odata.type': type('mediaPrompt'), mediaInfo: { '@odata.type': type('mediaInfo'), uri: 'https://cdn.example.com/a.wav' } }];
  const target = (type: (name: string) => string) => ({ '@odata.type': type('invitationParticipantInfo'), identity: { user: { id: 'john' } } });
  const bodies = (type: (name: string) => string) =>
    [
      ['create call', createCallSchema, { '@odata.type': type('call'), callbackUri: 'https://bot/cb', targets: [{}], mediaConfig: { '@odata.type': type('serviceHostedMediaConfig') } }],
      ['answer', answerSchema, { callbackUri: 'https://bot/cb', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': type('serviceHostedMediaConfig') } }],
      ['playPrompt', playPromptSchema('v1.0'), { prompts: prompts(type) }],
      ['recordResponse', recordResponseSchema('v1.0'), { prompts: prompts(type) }],
      ['redirect', redirectSchema, { targets: [target(type)] }],
      ['transfer', transferSchema, { transferTarget: target(type) }],
    ] as const;

  it.each([
    ['with #', (name: string) => `#microsoft.graph.${name}`],
    ['without # (Microsoft.Graph v1-v4)', (name: string) => `microsoft.graph.${name}`],
  ])('is accepted %s on every typed body, and reads as the # form', (_, type) => {
    for (const [what, schema, body] of bodies(type)) {
      const parsed = schema.safeParse(body);
      expect(parsed.success, `${what}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const types = JSON.stringify(parsed.data).match(/"@odata\.type":"[^"]*"/g) ?? [];
      expect(types.length, what).toBeGreaterThan(0);
      for (const t of types) expect(t, what).toMatch(/"@odata\.type":"#microsoft\.graph\./);
    }
  });

  it('keeps app-hosted media app-hosted without the #', () => {
    expect(mediaConfig.parse({ '@odata.type': 'microsoft.graph.appHostedMediaConfig', blob: 'b' })).toEqual({ '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: 'b' });
  });

  it('still refuses another type, naming the expected one', () => {
    const wrong = playPromptSchema('v1.0').safeParse({ prompts: [{ '@odata.type': 'microsoft.graph.mediaInfo', mediaInfo: { uri: 'https://cdn/a.wav' } }] });
    expect(wrong.error?.issues[0]?.message).toBe("must be '#microsoft.graph.mediaPrompt'");
    expect(mediaConfig.safeParse({ '@odata.type': 'graph.serviceHostedMediaConfig' }).success).toBe(false);
  });
});

describe('enum values in any casing (the Communications SDK sends Audio, Busy, Tone1)', () => {
  it.each([
    ['create call requestedModalities', createCallSchema, { callbackUri: 'https://bot/cb', targets: [{}], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, requestedModalities: ['Audio', 'VIDEO'] }, { requestedModalities: ['audio', 'video'] }],
    ['answer acceptedModalities', answerSchema, { callbackUri: 'https://bot/cb', acceptedModalities: ['Audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }, { acceptedModalities: ['audio'] }],
    ['reject reason', rejectSchema, { reason: 'Busy' }, { reason: 'busy' }],
    ['sendDtmfTones tones', sendDtmfTonesSchema, { tones: ['Tone1', 'Pound', 'STAR'] }, { tones: ['tone1', 'pound', 'star'] }],
    ['updateRecordingStatus status', updateRecordingStatusSchema, { status: 'NotRecording' }, { status: 'notRecording' }],
  ] as const)('%s reads as declared', (_, schema, body, expected) => {
    expect(schema.parse(body)).toMatchObject(expected);
  });

  it('still refuses a value that is no member', () => {
    expect(rejectSchema.safeParse({ reason: 'Later' }).error?.issues[0]?.message).toBe("must be one of 'none', 'busy', 'forbidden'");
  });
});

describe('.NET defaults for numbers it does not set', () => {
  it('answer takes participantCapacity 0 (the Communications SDK sends its int default) as not given', () => {
    const body = { callbackUri: 'https://bot/cb', acceptedModalities: ['Audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, participantCapacity: 0 };
    expect(answerSchema.safeParse(body).success).toBe(true);
    expect(answerSchema.safeParse({ ...body, participantCapacity: -1 }).success).toBe(false);
  });
});

describe('ids in notification URLs', () => {
  const guids = () => ({ ...context(0), newId: () => randomUUID() });
  function callWithOperation(family: PathFamily) {
    const created = createOutgoingCall(
      { id: randomUUID(), owner: { tenantId: 't', appId: randomUUID() }, callbackUri: 'https://bot/cb', family, apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: 'https://svc', resource: {} },
      guids(),
    ).result;
    const draft = new CallDraft(created, { ...guids(), now: 1000 });
    establish(draft);
    const established = draft.finish(undefined).call;
    const subscribed = subscribeToTone(established, { operationId: randomUUID() }, { ...guids(), now: 1100 });
    const pressed = pressTones(subscribed.call, ['tone1'], { ...guids(), now: 1200 });
    const operationId = randomUUID();
    const queued = enqueueMedia(pressed.call, prompt(operationId), { ...guids(), now: 1300 });
    const cancelled = cancelMediaProcessing(queued.call, { operationId: randomUUID(), all: true }, { ...guids(), now: 1400 });
    return { call: cancelled.call, events: [...pressed.events, ...cancelled.events], operationId };
  }

  it('are the ids the API returned, by default (what Graph sends)', () => {
    const { call, events, operationId } = callWithOperation('communications');
    const urls = renderNotifications(call, events, 'docs').map((n) => n['resourceUrl']);
    expect(urls).toContain(`/communications/calls/${call.id}/operations/${operationId}`);
    expect(urls).toContain(`/communications/calls/${call.id}`);
    expect(renderNotifications(call, events, 'docs', 'graph')).toEqual(renderNotifications(call, events, 'docs'));
  });

  it.each([
    ['app', (call: { id: string }) => `/app/calls/${call.id}`],
    ['applications', (call: { id: string; owner: { appId: string } }) => `/applications/${call.owner.appId}/calls/${call.id}`],
  ] as const)('are the returned ids on the %s family too, in resourceUrl and resource', (family, path) => {
    const { call, events } = callWithOperation(family);
    for (const n of renderNotifications(call, events, 'docs')) {
      expect(n['resourceUrl']).toMatch(new RegExp(`^${path(call)}`));
      expect(n['resource']).toBe(n['resourceUrl']);
    }
  });

  it("are upper case without dashes with NOTIFICATION_ID_FORM=docs, as the docs' examples write them", () => {
    const { call, events, operationId } = callWithOperation('app');
    const docs = (id: string) => id.replaceAll('-', '').toUpperCase();
    const rendered = renderNotifications(call, events, 'docs', 'docs');
    const op = rendered.find((n) => String(n['resourceUrl']).includes('/operations/'));
    expect(op?.['resourceUrl']).toBe(`/app/calls/${docs(call.id)}/operations/${docs(operationId)}`);
    expect(op?.['resource']).toBe(op?.['resourceUrl']);
    expect((op?.['resourceData'] as Record<string, unknown>)['@odata.id']).toBe(op?.['resourceUrl']);
    // The ids inside the resources stay as the API returned them.
    expect((op?.['resourceData'] as Record<string, unknown>)['id']).toBe(operationId);
  });

  it('is a setting: graph by default, docs on request, anything else refused', () => {
    const local = { SERVICE_MODE: 'local' };
    expect(loadConfig(local).notificationIdForm).toBe('graph');
    expect(loadConfig({ ...local, NOTIFICATION_ID_FORM: 'docs' }).notificationIdForm).toBe('docs');
    expect(() => loadConfig({ ...local, NOTIFICATION_ID_FORM: 'upper' })).toThrow(/NOTIFICATION_ID_FORM/);
  });
});
