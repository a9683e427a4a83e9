import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/host-process';

interface Binding {
  type: string;
  direction: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  queueName?: string;
  connection?: string;
  schedule?: string;
}

/**
 * What the Azure Functions host reads from the app: loaded from package.json#main through the same
 * captured registrations the local host serves. A change here is a change to the deployed app's
 * public surface, so this list changes only on purpose.
 */
function registrations() {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/tools/host/cli.js'), '--describe', '--app', ROOT], { encoding: 'utf8' });
  const functions = JSON.parse(out) as { name: string; bindings: Record<string, Binding> }[];
  return functions.map(({ name, bindings }) => {
    const trigger = Object.values(bindings).find((b) => /trigger$/i.test(b.type));
    const { type, route, methods, authLevel, queueName, connection, schedule } = trigger ?? ({} as Binding);
    const fields = { name, type, route, methods, authLevel, queueName, connection, schedule };
    return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  });
}

describe('function registrations', () => {
  it('are exactly the functions, triggers, routes and queues the service exposes', () => {
    const version = '{version:regex(^(v1\\.0|beta)$)}';
    const families = [
      ['communications', `${version}/communications/calls`],
      ['app', `${version}/app/calls`],
      ['applications', `${version}/applications/{appId}/calls`],
    ] as const;
    const graph = families.flatMap(([family, calls]) => {
      const http = (name: string, method: string, route: string) => ({ name: `${family}-${name}`, type: 'httpTrigger', route, methods: [method], authLevel: 'anonymous' });
      // Actions answer at their name and at the namespace-qualified microsoft.graph.{name}.
      const action = (name: string) => `${calls}/{callId}/{action:regex(^(${name}|microsoft\\.graph\\.${name})$)}`;
      return [
        http('createCall', 'POST', calls),
        http('getCall', 'GET', `${calls}/{callId}`),
        http('deleteCall', 'DELETE', `${calls}/{callId}`),
        http('answer', 'POST', action('answer')),
        http('playPrompt', 'POST', action('playPrompt')),
        http('recordResponse', 'POST', action('recordResponse')),
        http('subscribeToTone', 'POST', action('subscribeToTone')),
        http('cancelMediaProcessing', 'POST', action('cancelMediaProcessing')),
        http('getOperation', 'GET', `${calls}/{callId}/operations/{operationId}`),
        http('listOperations', 'GET', `${calls}/{callId}/operations`),
        http('reject', 'POST', action('reject')),
        http('redirect', 'POST', action('redirect')),
        http('transfer', 'POST', action('transfer')),
        // The 2018 family stops there: these came with /app and /communications.
        ...(family === 'applications'
          ? []
          : [
              http('keepAlive', 'POST', action('keepAlive')),
              http('sendDtmfTones', 'POST', action('sendDtmfTones')),
              http('updateRecordingStatus', 'POST', action('updateRecordingStatus')),
              http('mute', 'POST', action('mute')),
              http('unmute', 'POST', action('unmute')),
              http('changeScreenSharingRole', 'POST', action('changeScreenSharingRole')),
              http('addLargeGalleryView', 'POST', action('addLargeGalleryView')),
              http('listParticipants', 'GET', `${calls}/{callId}/participants`),
              http('getParticipant', 'GET', `${calls}/{callId}/participants/{participantId}`),
              http('removeParticipant', 'DELETE', `${calls}/{callId}/participants/{participantId}`),
              http('muteParticipant', 'POST', `${calls}/{callId}/participants/{participantId}/{action:regex(^(mute|microsoft\\.graph\\.mute)$)}`),
              http('inviteParticipants', 'POST', `${calls}/{callId}/participants/{action:regex(^(invite|microsoft\\.graph\\.invite)$)}`),
              http('muteAllParticipants', 'POST', `${calls}/{callId}/participants/{action:regex(^(muteAll|microsoft\\.graph\\.muteAll)$)}`),
              http('startHoldMusic', 'POST', `${calls}/{callId}/participants/{participantId}/{action:regex(^(startHoldMusic|microsoft\\.graph\\.startHoldMusic)$)}`),
              http('admitFromLobby', 'POST', `${calls}/{callId}/participants/{participantId}/{action:regex(^(admitFromLobby|microsoft\\.graph\\.admitFromLobby)$)}`),
              http('removeFromLobby', 'POST', `${calls}/{callId}/participants/{participantId}/{action:regex(^(removeFromLobby|microsoft\\.graph\\.removeFromLobby)$)}`),
              http('admitAllFromLobby', 'POST', `${calls}/{callId}/participants/{action:regex(^(admitAllFromLobby|microsoft\\.graph\\.admitAllFromLobby)$)}`),
              http('listContentSharingSessions', 'GET', `${calls}/{callId}/contentSharingSessions`),
              http('getContentSharingSession', 'GET', `${calls}/{callId}/contentSharingSessions/{sessionId}`),
              http('createAudioRoutingGroup', 'POST', `${calls}/{callId}/audioRoutingGroups`),
              http('listAudioRoutingGroups', 'GET', `${calls}/{callId}/audioRoutingGroups`),
              http('getAudioRoutingGroup', 'GET', `${calls}/{callId}/audioRoutingGroups/{groupId}`),
              http('updateAudioRoutingGroup', 'PATCH', `${calls}/{callId}/audioRoutingGroups/{groupId}`),
              http('deleteAudioRoutingGroup', 'DELETE', `${calls}/{callId}/audioRoutingGroups/{groupId}`),
              http('logTeleconferenceDeviceQuality', 'POST', `${calls}/{action:regex(^(logTeleconferenceDeviceQuality|microsoft\\.graph\\.logTeleconferenceDeviceQuality)$)}`),
              http('stopHoldMusic', 'POST', `${calls}/{callId}/participants/{participantId}/{action:regex(^(stopHoldMusic|microsoft\\.graph\\.stopHoldMusic)$)}`),
            ]),
      ];
    });
    const anonymous = (name: string, method: string, route: string) => ({ name, type: 'httpTrigger', route, methods: [method], authLevel: 'anonymous' });
    expect(registrations()).toEqual([
      ...graph,
      // The local console (local mode only; deployed they answer 404).
      anonymous('console', 'GET', 'console'),
      anonymous('consoleAsset', 'GET', 'console/{asset}'),
      anonymous('emulator-calls', 'GET', 'emulator/calls'),
      anonymous('emulator-call', 'GET', 'emulator/calls/{callId}'),
      anonymous('emulator-events', 'GET', 'emulator/events'),
      anonymous('emulator-tokens', 'POST', 'emulator/tokens'),
      anonymous('emulator-tones', 'POST', 'emulator/calls/{callId}/tones'),
      anonymous('emulator-speech', 'POST', 'emulator/calls/{callId}/speech'),
      anonymous('emulator-transferTarget', 'POST', 'emulator/calls/{callId}/transferTarget'),
      anonymous('emulator-invitee', 'POST', 'emulator/calls/{callId}/invitee'),
      anonymous('emulator-screenShare', 'POST', 'emulator/calls/{callId}/screenShare'),
      anonymous('emulator-deviceQuality', 'GET', 'emulator/deviceQuality'),
      anonymous('emulator-createMeeting', 'POST', 'emulator/meetings'),
      anonymous('emulator-listMeetings', 'GET', 'emulator/meetings'),
      anonymous('emulator-getMeeting', 'GET', 'emulator/meetings/{meetingId}'),
      anonymous('emulator-meetingPeople', 'POST', 'emulator/meetings/{meetingId}/people'),
      anonymous('emulator-meetingPerson', 'POST', 'emulator/meetings/{meetingId}/people/{personId}'),
      anonymous('emulator-metrics', 'GET', 'emulator/metrics'),
      anonymous('emulator-hangUp', 'POST', 'emulator/calls/{callId}/hangUp'),
      anonymous('emulator-incomingCall', 'POST', 'emulator/incomingCalls'),
      anonymous('emulator-putFaults', 'PUT', 'emulator/faults'),
      anonymous('emulator-getFaults', 'GET', 'emulator/faults'),
      anonymous('emulator-deleteFaults', 'DELETE', 'emulator/faults'),
      anonymous('emulator-faultSummary', 'GET', 'emulator/faults/summary'),
      anonymous('emulator-putCallFaults', 'PUT', 'emulator/calls/{callId}/faults'),
      anonymous('emulator-getCallFaults', 'GET', 'emulator/calls/{callId}/faults'),
      anonymous('emulator-drop', 'POST', 'emulator/calls/{callId}/drop'),
      anonymous('emulator-deleteCallFaults', 'DELETE', 'emulator/calls/{callId}/faults'),
      anonymous('health', 'GET', 'health'),
      { name: 'mediaClock', type: 'queueTrigger', queueName: '%MEDIA_CLOCK_QUEUE%', connection: 'CallsStorage' },
      { name: 'notifications', type: 'queueTrigger', queueName: '%NOTIFICATIONS_QUEUE%', connection: 'CallsStorage' },
      { name: 'notificationsSlowLane', type: 'queueTrigger', queueName: '%NOTIFICATIONS_QUEUE%-slow', connection: 'CallsStorage' },
      { name: 'sweeper', type: 'timerTrigger', schedule: '%SWEEP_SCHEDULE%' },
      anonymous('openIdConfiguration', 'GET', '.well-known/openid-configuration'),
      anonymous('jwks', 'GET', '.well-known/jwks.json'),
      { name: 'deadLetters', type: 'httpTrigger', route: 'notifications/deadLetters', methods: ['GET'], authLevel: 'admin' },
      { name: 'deliveryLog', type: 'httpTrigger', route: 'notifications/log', methods: ['GET'], authLevel: 'admin' },
      { name: 'replayDeadLetter', type: 'httpTrigger', route: 'notifications/deadLetters/{id}/replay', methods: ['POST'], authLevel: 'admin' },
      anonymous('recording', 'GET', 'recordings/{callId}/{operationId}'),
      // The catch-all: on Azure too, a path no other function takes gets a Graph-shaped answer.
      { name: 'unknownRoute', type: 'httpTrigger', route: '{*path}', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], authLevel: 'anonymous' },
    ]);
  });

  it('load from the compiled main that package.json names', async () => {
    const pkg = (await import(path.join(ROOT, 'package.json'), { with: { type: 'json' } })).default as { main: string };
    expect(pkg.main).toBe('dist/functions/*.js');
  });
});
