import { describe, expect, it } from 'vitest';
import { APP, outboxNotifications, promptBody } from '../support/graph';
import { inProcessApp } from '../support/in-process';

/** NOTIFICATION_ID_FORM=docs: notification URLs as the docs' examples write ids, for bots written against them. */
const svc = inProcessApp({ env: { NOTIFICATION_ID_FORM: 'docs' } });

const docs = (id: string) => id.replaceAll('-', '').toUpperCase();

describe('with NOTIFICATION_ID_FORM=docs', () => {
  it.each([
    ['/v1.0/communications/calls', '/communications/calls'],
    [`/v1.0/applications/${APP}/calls`, `/applications/${APP}/calls`],
  ])('notifications of calls made through %s name them upper case without dashes', async (prefix, path) => {
    const client = svc.client.with({ prefix });
    const call = await client.establishedCall();
    const play = await client.action(call['id'], 'playPrompt', promptBody('menu'));
    const operationId = /operations\/(.+)$/.exec(play.res.headers.get('location') ?? '')?.[1] ?? '';
    await client.action(call['id'], 'cancelMediaProcessing', {});
    const notifications = await outboxNotifications(svc.table, call['id']);
    expect(notifications[0]?.['resourceUrl']).toBe(`${path}/${docs(call['id'])}`);
    const cancelled = notifications.find((n) => n['resourceData']['clientContext'] === 'menu');
    expect(cancelled?.['resourceUrl']).toBe(`${path}/${docs(call['id'])}/operations/${docs(operationId)}`);
    // The 2018 family's `resource` key carries the same form; the resource's own id stays as returned.
    expect(cancelled?.['resource']).toBe(prefix.includes('applications') ? cancelled?.['resourceUrl'] : undefined);
    expect(cancelled?.['resourceData']['id']).toBe(operationId);
  });
});
