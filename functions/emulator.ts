import { httpRoute } from '../src/api/route-table';
import { graphApi } from '../src/api/graph-api';
import { CALL_CONTROL_ROLES } from '../src/auth/roles';
import { answerInvitation, answerTransfer, callerHangsUp, pressTones, ringBot, shareScreen, speakFor } from '../src/api/emulator';
import { listDeviceQuality } from '../src/api/call-resources';
import { readMetrics } from '../src/api/process-metrics';
import { createMeeting, getMeeting, listMeetings, personDoes, personJoins } from '../src/api/meetings';
import { deleteAppFaults, deleteCallFaults, dropCallNow, getAppFaults, getCallFaults, getFaultSummary, putAppFaults, putCallFaults } from '../src/api/fault-profiles';

// The emulator: the caller's side of a call, outside Graph's namespace. Registered everywhere so the
// app's surface does not depend on settings, but unless SERVICE_MODE=local every route answers 404
// like an unknown path.
const options = { family: 'communications' as const, roles: CALL_CONTROL_ROLES, localOnly: true };
const call = 'emulator/calls/{callId}';
const route = (name: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: Parameters<typeof graphApi>[1]) =>
  httpRoute(`emulator-${name}`, { methods: [method], route: path, authLevel: 'anonymous', handler: graphApi(options, handler) });

route('tones', 'POST', `${call}/tones`, pressTones);
route('speech', 'POST', `${call}/speech`, speakFor);
route('transferTarget', 'POST', `${call}/transferTarget`, answerTransfer);
route('invitee', 'POST', `${call}/invitee`, answerInvitation);
route('screenShare', 'POST', `${call}/screenShare`, shareScreen);
route('deviceQuality', 'GET', 'emulator/deviceQuality', listDeviceQuality);
// Meetings (docs/emulator.md, "Meetings"): people come and go; the bot calls joined to one follow it.
route('createMeeting', 'POST', 'emulator/meetings', createMeeting);
route('listMeetings', 'GET', 'emulator/meetings', listMeetings);
route('getMeeting', 'GET', 'emulator/meetings/{meetingId}', getMeeting);
route('meetingPeople', 'POST', 'emulator/meetings/{meetingId}/people', personJoins);
route('meetingPerson', 'POST', 'emulator/meetings/{meetingId}/people/{personId}', personDoes);
route('metrics', 'GET', 'emulator/metrics', readMetrics);
route('hangUp', 'POST', `${call}/hangUp`, callerHangsUp);
route('incomingCall', 'POST', 'emulator/incomingCalls', ringBot);

// Fault profiles (docs/faults.md): the app's, a call's own, and what was injected.
route('putFaults', 'PUT', 'emulator/faults', putAppFaults);
route('getFaults', 'GET', 'emulator/faults', getAppFaults);
route('deleteFaults', 'DELETE', 'emulator/faults', deleteAppFaults);
route('faultSummary', 'GET', 'emulator/faults/summary', getFaultSummary);
route('putCallFaults', 'PUT', `${call}/faults`, putCallFaults);
route('getCallFaults', 'GET', `${call}/faults`, getCallFaults);
route('drop', 'POST', `${call}/drop`, dropCallNow);
route('deleteCallFaults', 'DELETE', `${call}/faults`, deleteCallFaults);
