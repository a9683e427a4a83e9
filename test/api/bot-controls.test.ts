import { describe, expect, it } from 'vitest';
import { OTHER_APP, outboxNotifications, token } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

// The bot's own part of a call (mute, screen sharing, gallery view) and the list of its operations.
const svc = inProcessApp();

async function expectBadRequest(res: Response, ...mentions: string[]) {
  expect(res.status).toBe(400);
  const error = await graphError(res);
  for (const text of mentions) expect(error.message).toContain(text);
  return error;
}

describe('the bot mutes itself', () => {
  it('mute and unmute: completed operations, isMuted on the bot’s participant (GET and the roster notification), typed when read back', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const muted = await svc.client.action(callId, 'mute', { clientContext: 'hold on' });
    expect(muted.res.status).toBe(200);
    expect(muted.res.headers.get('location')).toMatch(new RegExp(`/calls/${callId}/operations/${muted.json['id']}$`));
    expect(muted.json).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed', clientContext: 'hold on' });
    const participants = async () => ((await (await svc.client.send('GET', `/${callId}/participants`)).json()) as { value: Record<string, unknown>[] }).value;
    expect((await participants()).map((p) => p['isMuted'])).toEqual([true, false]);
    const roster = async () => (await outboxNotifications(svc.table, callId)).at(-1);
    expect((await roster())?.['resourceData'][0]).toMatchObject({ isMuted: true });

    const unmuted = await svc.client.action(callId, 'unmute', {});
    expect(unmuted.json).toMatchObject({ '@odata.type': '#microsoft.graph.unmuteParticipantOperation', status: 'completed' });
    expect((await participants()).map((p) => p['isMuted'])).toEqual([false, false]);
    expect((await roster())?.['resourceData'][0]).toMatchObject({ isMuted: false });
    expect((await svc.client.operation(callId, muted.json['id'])).json).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed' });
    // Through the namespace-qualified segment the .NET SDKs send, too.
    expect((await svc.client.send('POST', `/${callId}/microsoft.graph.mute`, {})).status).toBe(200);
  });

  it('only on an established call (notEstablished before, callEnded after); unknown members named', async () => {
    const establishing = (await svc.client.createCall())['id'] as string;
    expect((await expectBadRequest(await svc.client.send('POST', `/${establishing}/mute`, {}), 'mute')).innerError.code).toBe('notEstablished');
    const callId = (await svc.client.establishedCall())['id'] as string;
    await expectBadRequest(await svc.client.send('POST', `/${callId}/mute`, { volume: 0 }), "'volume'");
    await svc.client.send('DELETE', `/${callId}`);
    expect((await expectBadRequest(await svc.client.send('POST', `/${callId}/unmute`, {}), 'unmute')).innerError.code).toBe('callEnded');
  });
});

describe('the bot’s screen sharing and gallery view', () => {
  it('changeScreenSharingRole: 200 with no body on an established call; the role checked; notEstablished before', async () => {
    const establishing = (await svc.client.createCall())['id'] as string;
    expect((await expectBadRequest(await svc.client.send('POST', `/${establishing}/changeScreenSharingRole`, { role: 'sharer' }), 'changeScreenSharingRole')).innerError.code).toBe('notEstablished');
    const callId = (await svc.client.establishedCall())['id'] as string;
    const changed = await svc.client.send('POST', `/${callId}/changeScreenSharingRole`, { role: 'sharer' });
    expect([changed.status, await changed.text()]).toEqual([200, '']);
    expect((await svc.client.send('POST', `/${callId}/changeScreenSharingRole`, { role: 'sharer' })).status).toBe(200); // again: nothing changes
    await expectBadRequest(await svc.client.send('POST', `/${callId}/changeScreenSharingRole`, { role: 'presenter' }), "'role'", 'viewer');
    await expectBadRequest(await svc.client.send('POST', `/${callId}/changeScreenSharingRole`, {}), "'role'");
  });

  it('addLargeGalleryView: 200 + Location + a completed addLargeGalleryViewOperation, read back typed', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const { res, json } = await svc.client.action(callId, 'addLargeGalleryView', { clientContext: 'gallery' });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toMatch(new RegExp(`/operations/${json['id']}$`));
    expect(json).toMatchObject({ '@odata.type': '#microsoft.graph.addLargeGalleryViewOperation', status: 'completed', clientContext: 'gallery' });
    expect((await svc.client.operation(callId, json['id'])).json).toMatchObject({ '@odata.type': '#microsoft.graph.addLargeGalleryViewOperation' });
  });
});

describe('the operations of a call', () => {
  it('GET …/operations lists every operation of the call, typed, a page of $top at a time with @odata.nextLink', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const created: string[] = [];
    for (const action of ['subscribeToTone', 'mute', 'unmute', 'playPrompt', 'cancelMediaProcessing']) {
      const body = action === 'playPrompt' ? { prompts: [{ mediaInfo: { uri: 'https://cdn.example.com/a.wav' } }] } : {};
      created.push((await svc.client.action(callId, action, body)).json['id'] as string);
    }
    const all = (await (await svc.client.send('GET', `/${callId}/operations`)).json()) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
    expect(all.value.map((op) => op['id']).sort()).toEqual([...created].sort());
    expect(new Set(all.value.map((op) => op['@odata.type']))).toEqual(
      new Set(['subscribeToToneOperation', 'muteParticipantOperation', 'unmuteParticipantOperation', 'playPromptOperation', 'cancelMediaProcessingOperation'].map((t) => `#microsoft.graph.${t}`)),
    );
    expect(all['@odata.nextLink']).toBeUndefined();

    const seen: unknown[] = [];
    let page = (await (await svc.client.send('GET', `/${callId}/operations?$top=2`)).json()) as typeof all;
    for (;;) {
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((op) => op['id']));
      if (!page['@odata.nextLink']) break;
      page = (await (await svc.fetch(page['@odata.nextLink'], { headers: { authorization: `Bearer ${svc.client.bearer}` } })).json()) as typeof all;
    }
    expect(seen.sort()).toEqual([...created].sort());
    expect((await svc.client.send('GET', `/${callId}/operations?$top=0`)).status).toBe(400);
    // Another app's call is not found, as for every route of a call.
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    expect((await other.send('GET', `/${callId}/operations`)).status).toBe(404);
  });
});

describe('muting another participant', () => {
  it('POST …/participants/{id}/mute: a completed muteParticipantOperation, isMuted on that participant; the bot’s own id mutes the bot; unknown ids 404', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const list = async () => ((await (await svc.client.send('GET', `/${callId}/participants`)).json()) as { value: Record<string, unknown>[] }).value;
    const [bot, target] = await list();
    const muted = await svc.client.action(callId, `participants/${target?.['id']}/mute`, { clientContext: 'quiet' });
    expect(muted.res.status).toBe(200);
    expect(muted.json).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed', clientContext: 'quiet' });
    expect((await list()).map((p) => p['isMuted'])).toEqual([false, true]);
    const roster = (await outboxNotifications(svc.table, callId)).at(-1);
    expect((roster?.['resourceData'] as Record<string, unknown>[]).map((p) => p['isMuted'])).toEqual([false, true]);
    expect((await svc.client.action(callId, `participants/${bot?.['id']}/mute`, {})).res.status).toBe(200);
    expect((await list()).map((p) => p['isMuted'])).toEqual([true, true]);
    expect((await svc.client.send('POST', `/${callId}/participants/${crypto.randomUUID()}/mute`, {})).status).toBe(404);
  });
});
