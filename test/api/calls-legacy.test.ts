import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { APP, OTHER_APP, outboxNotifications, promptBody } from '../support/graph';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp();

describe('the deprecated /app/calls paths', () => {
  it('behave like /communications/calls, on beta and v1.0', async () => {
    for (const version of ['beta', 'v1.0']) {
      const app = svc.client.with({ prefix: `/${version}/app/calls` });
      const created = await app.send('POST', '', { callbackUri: 'https://bot.example.com/cb', targets: [{}], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
      expect(created.status).toBe(201);
      const call = (await created.json()) as Record<string, string>;
      expect(created.headers.get('location')).toBe(`${svc.client.serviceUrl}/${version}/app/calls/${call['id']}`);
      const play = await app.action(call['id'] ?? '', 'playPrompt', promptBody('legacy'));
      expect(play.res.status).toBe(200);
      expect(play.res.headers.get('location')).toBe(`${svc.client.serviceUrl}/${version}/app/calls/${call['id']}/operations/${play.json['id']}`);
      expect((await app.operation(call['id'] ?? '', play.json['id'])).json['status']).toBe('notStarted');
      // The same call is reachable through every family.
      expect((await svc.client.send('GET', `/${call['id']}`)).status).toBe(200);
    }
  });

  it('keep their family in notifications, with the 2018 resource key', async () => {
    const app = svc.client.with({ prefix: '/beta/app/calls' });
    const call = await app.establishedCall();
    await app.action(call['id'], 'playPrompt', promptBody());
    await app.action(call['id'], 'cancelMediaProcessing', {});
    const [first] = await eventually(async () => {
      const list = (await outboxNotifications(svc.table, call['id'])).filter((n) => n['resourceData']['@odata.type'] === '#microsoft.graph.playPromptOperation');
      expect(list).toHaveLength(1);
      return list;
    });
    expect(first?.['resourceUrl']).toMatch(new RegExp(`^/app/calls/${call['id']}/operations/[0-9a-f-]{36}$`));
    expect(first?.['resource']).toBe(first?.['resourceUrl']);
  });
});

describe('the 2018 /applications/{appId}/calls paths', () => {
  const prefix = `/v1.0/applications/${APP}/calls`;

  it('answer media actions with 202 Accepted + Location and no body', async () => {
    const legacy = svc.client.with({ prefix });
    const call = await legacy.createCall();
    const id = call['id'] as string;
    for (const [action, body] of [['playPrompt', promptBody()], ['recordResponse', {}], ['subscribeToTone', {}], ['cancelMediaProcessing', { all: false }]] as const) {
      const res = await legacy.send('POST', `/${id}/${action}`, body);
      expect(res.status).toBe(202);
      expect(await res.text()).toBe('');
      const location = res.headers.get('location') ?? '';
      expect(location).toMatch(new RegExp(`^${svc.client.serviceUrl}${prefix}/${id}/operations/[0-9a-f-]{36}$`));
      const op = await svc.fetch(location, { headers: { authorization: `Bearer ${svc.client.bearer}` } });
      expect(op.status).toBe(200);
    }
    expect((await legacy.send('GET', `/${id}`)).status).toBe(200);
    expect((await legacy.send('DELETE', `/${id}`)).status).toBe(204);
  });

  it('404 when {appId} is not the caller’s app id (any GUID spelling of it is fine)', async () => {
    const call = (await svc.client.createCall())['id'];
    const other = svc.client.with({ prefix: `/v1.0/applications/${OTHER_APP}/calls` });
    expect((await other.send('GET', `/${call}`)).status).toBe(404);
    expect((await other.send('POST', '', {})).status).toBe(404);
    const upper = svc.client.with({ prefix: `/beta/applications/${APP.toUpperCase().replaceAll('-', '')}/calls` });
    expect((await upper.send('GET', `/${call}`)).status).toBe(200);
  });
});

describe('the legacy cancel flag all=false', () => {
  it.each(['/v1.0/communications/calls', '/beta/app/calls', `/beta/applications/${APP}/calls`])('cancels only the running operation on %s', async (prefix) => {
    const client = svc.client.with({ prefix });
    const call = await client.establishedCall();
    const id = call['id'] as string;
    await client.send('POST', `/${id}/playPrompt`, promptBody('running'));
    await client.send('POST', `/${id}/playPrompt`, promptBody('queued'));
    const cancel = await client.send('POST', `/${id}/cancelMediaProcessing`, { all: false });
    // The 2018 family answers as documented then: 202, a Location, no body; the others 200 with the operation.
    if (prefix.startsWith('/beta/applications/')) {
      expect([cancel.status, await cancel.text()]).toEqual([202, '']);
      expect(cancel.headers.get('location')).toMatch(new RegExp(`/calls/${id}/operations/[0-9a-f-]{36}$`));
    } else {
      expect(cancel.status).toBe(200);
      expect(await cancel.json()).toMatchObject({ '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', status: 'completed' });
    }
    const statuses = (await outboxNotifications(svc.table, id))
      .filter((n) => n['resourceData']['@odata.type'] === '#microsoft.graph.playPromptOperation')
      .map((n) => [n['resourceData']['clientContext'], n['resourceData']['status']]);
    expect(statuses).toEqual([['running', 'failed']]);
  });
});
