import type { Call, CallEvent } from '../calls/model';
import type { EnumCasing } from './casing';
import type { NotificationIdForm } from './ids';
import { notificationPath } from './paths';
import { callJson, operationJson, participantsJson, resultInfoJson } from './resources';

/** One commsNotification: what a bot receives, one per POST, wrapped in a commsNotifications envelope. */
export type CommsNotification = Readonly<Record<string, unknown>>;

export function envelope(notification: CommsNotification) {
  return { '@odata.type': '#microsoft.graph.commsNotifications', value: [notification] };
}

/**
 * Renders a change's events as Graph notifications, in order, following the docs' examples:
 * an operation that ends is `deleted` with the operation as resourceData (with @odata.id and
 * @odata.etag); call state changes are `updated` (the final `terminated` is `deleted`; an incoming
 * call is `created` with the whole call); tones are `updated` calls carrying toneInfo.
 * URLs name the call and its operations by the ids the API returned, as Graph does (`ids`: `docs`
 * writes the docs' upper-case dash-less form instead). Calls made through the legacy /app and
 * /applications paths also carry the 2018 `resource` key beside `resourceUrl`.
 */
export function renderNotifications(call: Call, events: readonly CallEvent[], casing: EnumCasing, ids: NotificationIdForm = 'graph'): CommsNotification[] {
  const address = { family: call.family, appId: call.owner.appId, callId: call.id };
  const callUrl = notificationPath(address, ids);
  const legacy = call.family !== 'communications';
  const base = (changeType: string, resourceUrl: string) => ({
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType,
    resourceUrl,
    ...(legacy && { resource: resourceUrl }),
  });

  return events.map((event): CommsNotification => {
    switch (event.kind) {
      case 'operation': {
        const url = notificationPath(address, ids, event.operation.id);
        return {
          ...base('deleted', url),
          resourceData: { ...operationJson(event.operation, casing), '@odata.id': url, '@odata.etag': `W/"${event.operation.version}"` },
        };
      }
      case 'callState':
        return {
          ...base(event.changeType, callUrl),
          callbackUri: call.callbackUri,
          resourceData:
            event.changeType === 'created'
              ? callJson({ ...call, state: event.state })
              : {
                  '@odata.type': '#microsoft.graph.call',
                  id: call.id,
                  state: event.state,
                  direction: call.direction,
                  ...(event.resultInfo && { resultInfo: resultInfoJson(event.resultInfo) }),
                },
        };
      case 'roster':
        return {
          ...base('updated', `${callUrl}/participants`),
          resourceData: participantsJson(call, event.withOthers),
        };
      case 'tone':
        return {
          ...base('updated', callUrl),
          resourceData: {
            '@odata.type': '#microsoft.graph.call',
            id: call.id,
            state: call.state,
            toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: event.sequenceId, tone: event.tone },
          },
        };
    }
  });
}
