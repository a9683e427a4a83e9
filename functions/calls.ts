import { httpRoute } from '../src/api/route-table';
import { addLargeGalleryView, changeScreenSharingRole, keepAlive, redirectCall, rejectCall, selfMute, sendDtmfTones, transferCall, updateRecordingStatus } from '../src/api/call-control';
import { answerCall, createCall, deleteCall, getCall } from '../src/api/calls';
import { graphApi } from '../src/api/graph-api';
import { cancelMediaProcessing, playPrompt, recordResponse, subscribeToTone } from '../src/api/media-actions';
import { getOperation, listOperations } from '../src/api/operations';
import { getParticipant, listParticipants, muteParticipant, removeParticipant } from '../src/api/participants';
import { inviteParticipants, muteAllParticipants, startHoldMusic, stopHoldMusic } from '../src/api/participant-actions';
import * as resources from '../src/api/call-resources';
import { admitAllFromLobby, lobbyAction } from '../src/api/meetings';
import { CALL_CONTROL_ROLES, CREATE_CALL_ROLES, GROUP_CALL_ROLES, MEDIA_ACCESS_ROLES } from '../src/auth/roles';
import { actionSegment, FAMILY_ROUTE, PATH_FAMILIES } from '../src/graph/paths';

// The Graph calls API on each path family: /{v}/communications/calls, /{v}/app/calls and
// /{v}/applications/{appId}/calls (see src/graph/paths.ts). Function names start with the family.
for (const family of PATH_FAMILIES) {
  const calls = FAMILY_ROUTE[family];
  const call = `${calls}/{callId}`;
  const control = { family, roles: CALL_CONTROL_ROLES };
  const media = { family, roles: MEDIA_ACCESS_ROLES };
  // Each action also answers at its namespace-qualified segment, …/microsoft.graph.{action}.
  const action = (name: string) => `${call}/${actionSegment(name)}`;
  const http = (name: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', route: string, handler: ReturnType<typeof graphApi>) =>
    httpRoute(`${family}-${name}`, { methods: [method], route, authLevel: 'anonymous', handler });

  http('createCall', 'POST', calls, graphApi({ family, roles: CREATE_CALL_ROLES }, createCall));
  http('getCall', 'GET', call, graphApi(control, getCall));
  http('deleteCall', 'DELETE', call, graphApi(control, deleteCall));
  http('answer', 'POST', action('answer'), graphApi({ family, roles: CREATE_CALL_ROLES }, answerCall));
  http('playPrompt', 'POST', action('playPrompt'), graphApi(control, playPrompt));
  http('recordResponse', 'POST', action('recordResponse'), graphApi(media, recordResponse));
  http('subscribeToTone', 'POST', action('subscribeToTone'), graphApi(media, subscribeToTone));
  http('cancelMediaProcessing', 'POST', action('cancelMediaProcessing'), graphApi(control, cancelMediaProcessing));
  http('getOperation', 'GET', `${call}/operations/{operationId}`, graphApi(control, getOperation));
  http('listOperations', 'GET', `${call}/operations`, graphApi(control, listOperations));
  // Call control: the 2018 family had reject, redirect and transfer; the rest came with /app and /communications.
  http('reject', 'POST', action('reject'), graphApi({ family, roles: CREATE_CALL_ROLES }, rejectCall));
  http('redirect', 'POST', action('redirect'), graphApi({ family, roles: CREATE_CALL_ROLES }, redirectCall));
  http('transfer', 'POST', action('transfer'), graphApi(control, transferCall));
  if (family === 'applications') continue;
  http('keepAlive', 'POST', action('keepAlive'), graphApi(control, keepAlive));
  http('sendDtmfTones', 'POST', action('sendDtmfTones'), graphApi(control, sendDtmfTones));
  http('updateRecordingStatus', 'POST', action('updateRecordingStatus'), graphApi(control, updateRecordingStatus));
  http('mute', 'POST', action('mute'), graphApi(control, selfMute(true)));
  http('unmute', 'POST', action('unmute'), graphApi(control, selfMute(false)));
  http('changeScreenSharingRole', 'POST', action('changeScreenSharingRole'), graphApi(control, changeScreenSharingRole));
  http('addLargeGalleryView', 'POST', action('addLargeGalleryView'), graphApi(control, addLargeGalleryView));
  http('listParticipants', 'GET', `${call}/participants`, graphApi(control, listParticipants));
  http('getParticipant', 'GET', `${call}/participants/{participantId}`, graphApi(control, getParticipant));
  http('removeParticipant', 'DELETE', `${call}/participants/{participantId}`, graphApi(control, removeParticipant));
  http('muteParticipant', 'POST', `${call}/participants/{participantId}/${actionSegment('mute')}`, graphApi(control, muteParticipant));
  http('inviteParticipants', 'POST', `${call}/participants/${actionSegment('invite')}`, graphApi({ family, roles: GROUP_CALL_ROLES }, inviteParticipants));
  http('muteAllParticipants', 'POST', `${call}/participants/${actionSegment('muteAll')}`, graphApi(control, muteAllParticipants));
  http('startHoldMusic', 'POST', `${call}/participants/{participantId}/${actionSegment('startHoldMusic')}`, graphApi(control, startHoldMusic));
  // beta only (the handler answers 404 on v1.0, as Graph does for a path it does not have).
  http('admitFromLobby', 'POST', `${call}/participants/{participantId}/${actionSegment('admitFromLobby')}`, graphApi(control, lobbyAction('admit')));
  http('removeFromLobby', 'POST', `${call}/participants/{participantId}/${actionSegment('removeFromLobby')}`, graphApi(control, lobbyAction('removeFromLobby')));
  http('admitAllFromLobby', 'POST', `${call}/participants/${actionSegment('admitAllFromLobby')}`, graphApi(control, admitAllFromLobby));
  http('listContentSharingSessions', 'GET', `${call}/contentSharingSessions`, graphApi(control, resources.listContentSharingSessions));
  http('getContentSharingSession', 'GET', `${call}/contentSharingSessions/{sessionId}`, graphApi(control, resources.getContentSharingSession));
  http('createAudioRoutingGroup', 'POST', `${call}/audioRoutingGroups`, graphApi(media, resources.createAudioRoutingGroup));
  http('listAudioRoutingGroups', 'GET', `${call}/audioRoutingGroups`, graphApi(media, resources.listAudioRoutingGroups));
  http('getAudioRoutingGroup', 'GET', `${call}/audioRoutingGroups/{groupId}`, graphApi(media, resources.getAudioRoutingGroup));
  http('updateAudioRoutingGroup', 'PATCH', `${call}/audioRoutingGroups/{groupId}`, graphApi(media, resources.updateAudioRoutingGroup));
  http('deleteAudioRoutingGroup', 'DELETE', `${call}/audioRoutingGroups/{groupId}`, graphApi(media, resources.deleteAudioRoutingGroup));
  http('logTeleconferenceDeviceQuality', 'POST', `${calls}/${actionSegment('logTeleconferenceDeviceQuality')}`, graphApi(control, resources.logTeleconferenceDeviceQuality));
  http('stopHoldMusic', 'POST', `${call}/participants/{participantId}/${actionSegment('stopHoldMusic')}`, graphApi(control, stopHoldMusic));
}
