import { beforeAll, describe, expect, it } from 'vitest';
import { promptBody } from '../support/graph';
import { graphError, json } from '../support/http';
import { inProcessApp } from '../support/in-process';

// No media clock: the call stays `establishing` for every test here.
const svc = inProcessApp({ mediaClock: false });
let callId: string;
beforeAll(async () => {
  callId = (await svc.client.createCall({ subject: 'select me' }))['id'];
});

const get = (path: string) => svc.client.send('GET', path);

describe('$select on GET call', () => {
  it('returns only the selected properties and the annotations, with the selection in @odata.context', async () => {
    const res = await get(`/${callId}?$select=state,id`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      '@odata.context': `${svc.client.serviceUrl}/v1.0/$metadata#communications/calls(state,id)/$entity`,
      '@odata.type': '#microsoft.graph.call',
      state: 'establishing',
      id: callId,
    });
  });

  it('matches names case-insensitively, writes them as declared, and gives a declared property it lacks as null', async () => {
    const body = await json(await get(`/${callId}?$select=SUBJECT, transcription`));
    expect(body).toEqual({
      '@odata.context': `${svc.client.serviceUrl}/v1.0/$metadata#communications/calls(subject,transcription)/$entity`,
      '@odata.type': '#microsoft.graph.call',
      subject: 'select me',
      transcription: null,
    });
  });

  it("answers a property the type does not have with Graph's 400 naming it, before looking for the call", async () => {
    for (const id of [callId, '00000000-0000-4000-8000-00000000dead']) {
      const res = await get(`/${id}?$select=state,bogus`);
      expect(res.status).toBe(400);
      const error = await graphError(res);
      expect(error.code).toBe('BadRequest');
      expect(error.message).toBe("Parsing OData Select and Expand failed: Could not find a property named 'bogus' on type 'microsoft.graph.call'.");
    }
  });

  it('knows the beta-only properties per version, and * selects everything', async () => {
    expect((await get(`/${callId}?$select=terminationReason`)).status).toBe(400);
    const beta = await svc.client.with({ prefix: '/beta/communications/calls' }).send('GET', `/${callId}?$select=terminationReason`);
    expect(beta.status).toBe(200);
    expect(await json(beta)).toMatchObject({ terminationReason: null });
    const all = await json(await get(`/${callId}?$select=*`));
    expect(all).toMatchObject({ id: callId, state: 'establishing', callbackUri: 'https://bot.example.com/callback', subject: 'select me' });
  });
});

describe('$select on GET operation', () => {
  it('selects base-type properties, subtype properties on that subtype only, and casts', async () => {
    const play = (await svc.client.action(callId, 'playPrompt', promptBody('welcome'))).json;
    const record = (await svc.client.action(callId, 'recordResponse', { clientContext: 'answer' })).json;
    const op = (id: string, select: string) => get(`/${callId}/operations/${id}?$select=${select}`).then((r) => json(r));

    expect(await op(play['id'], 'status,clientContext')).toEqual({
      '@odata.context': play['@odata.context'],
      '@odata.type': '#microsoft.graph.playPromptOperation',
      status: play['status'],
      clientContext: 'welcome',
    });
    // commsOperation is open and its subtypes add properties: a recordOperation's is selectable, and absent on a prompt.
    expect(await op(play['id'], 'recordingLocation')).toEqual({ '@odata.context': play['@odata.context'], '@odata.type': '#microsoft.graph.playPromptOperation' });
    expect(Object.keys(await op(record['id'], 'recordingLocation,id'))).toEqual(['@odata.context', '@odata.type', 'recordingLocation', 'id']);
    expect(await op(record['id'], 'microsoft.graph.recordOperation/recordingAccessToken,microsoft.graph.playPromptOperation/completionReason')).toEqual({
      '@odata.context': record['@odata.context'],
      '@odata.type': '#microsoft.graph.recordOperation',
      recordingAccessToken: null,
    });
  });

  it('knows the call-control operation types too', async () => {
    const { json: status } = await svc.client.action(callId, 'updateRecordingStatus', { status: 'recording', clientContext: 'rec' });
    const res = await get(`/${callId}/operations/${status['id']}?$select=microsoft.graph.updateRecordingStatusOperation/clientContext`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', clientContext: 'rec' });
    expect((await get(`/${callId}/operations/${status['id']}?$select=microsoft.graph.sendDtmfTonesOperation/completionReason`)).status).toBe(200);
  });

  it('refuses an unknown property or cast with a 400 naming it', async () => {
    const play = (await svc.client.action(callId, 'playPrompt', promptBody('menu'))).json;
    const bad = await get(`/${callId}/operations/${play['id']}?$select=status,loudness`);
    expect(bad.status).toBe(400);
    expect((await graphError(bad)).message).toBe("Parsing OData Select and Expand failed: Could not find a property named 'loudness' on type 'microsoft.graph.commsOperation'.");
    const cast = await get(`/${callId}/operations/${play['id']}?$select=microsoft.graph.call/state`);
    expect(cast.status).toBe(400);
    expect((await graphError(cast)).message).toContain("'microsoft.graph.call'");
  });
});
