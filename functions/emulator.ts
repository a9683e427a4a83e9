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

httpRoute('emulator-tones', { methods: ['POST'], route: `${call}/tones`, authLevel: 'anonymous', handler: graphApi(options, pressTones) });
httpRoute('emulator-speech', { methods: ['POST'], route: `${call}/speech`, authLevel: 'anonymous', handler: graphApi(options, speakFor) });
httpRoute('emulator-transferTarget', { methods: ['POST'], route: `${call}/transferTarget`, authLevel: 'anonymous', handler: graphApi(options, answerTransfer) });
httpRoute('emulator-invitee', { methods: ['POST'], route: `${call}/invitee`, authLevel: 'anonymous', handler: graphApi(options, answerInvitation) });
httpRoute('emulator-screenShare', { methods: ['POST'], route: `${call}/screenShare`, authLevel: 'anonymous', handler: graphApi(options, shareScreen) });
httpRoute('emulator-deviceQuality', { methods: ['GET'], route: 'emulator/deviceQuality', authLevel: 'anonymous', handler: graphApi(options, listDeviceQuality) });
// Meetings (docs/emulator.md, "Meetings"): people come and go; the bot calls joined to one follow it.
httpRoute('emulator-createMeeting', { methods: ['POST'], route: 'emulator/meetings', authLevel: 'anonymous', handler: graphApi(options, createMeeting) });
httpRoute('emulator-listMeetings', { methods: ['GET'], route: 'emulator/meetings', authLevel: 'anonymous', handler: graphApi(options, listMeetings) });
httpRoute('emulator-getMeeting', { methods: ['GET'], route: 'emulator/meetings/{meetingId}', authLevel: 'anonymous', handler: graphApi(options, getMeeting) });
httpRoute('emulator-meetingPeople', { methods: ['POST'], route: 'emulator/meetings/{meetingId}/people', authLevel: 'anonymous', handler: graphApi(options, personJoins) });
httpRoute('emulator-meetingPerson', { methods: ['POST'], route: 'emulator/meetings/{meetingId}/people/{personId}', authLevel: 'anonymous', handler: graphApi(options, personDoes) });
httpRoute('emulator-metrics', { methods: ['GET'], route: 'emulator/metrics', authLevel: 'anonymous', handler: graphApi(options, readMetrics) });
httpRoute('emulator-hangUp', { methods: ['POST'], route: `${call}/hangUp`, authLevel: 'anonymous', handler: graphApi(options, callerHangsUp) });
httpRoute('emulator-incomingCall', { methods: ['POST'], route: 'emulator/incomingCalls', authLevel: 'anonymous', handler: graphApi(options, ringBot) });

// Fault profiles (docs/faults.md): the app's, a call's own, and what was injected.
httpRoute('emulator-putFaults', { methods: ['PUT'], route: 'emulator/faults', authLevel: 'anonymous', handler: graphApi(options, putAppFaults) });
httpRoute('emulator-getFaults', { methods: ['GET'], route: 'emulator/faults', authLevel: 'anonymous', handler: graphApi(options, getAppFaults) });
httpRoute('emulator-deleteFaults', { methods: ['DELETE'], route: 'emulator/faults', authLevel: 'anonymous', handler: graphApi(options, deleteAppFaults) });
httpRoute('emulator-faultSummary', { methods: ['GET'], route: 'emulator/faults/summary', authLevel: 'anonymous', handler: graphApi(options, getFaultSummary) });
httpRoute('emulator-putCallFaults', { methods: ['PUT'], route: `${call}/faults`, authLevel: 'anonymous', handler: graphApi(options, putCallFaults) });
httpRoute('emulator-getCallFaults', { methods: ['GET'], route: `${call}/faults`, authLevel: 'anonymous', handler: graphApi(options, getCallFaults) });
httpRoute('emulator-drop', { methods: ['POST'], route: `${call}/drop`, authLevel: 'anonymous', handler: graphApi(options, dropCallNow) });
httpRoute('emulator-deleteCallFaults', { methods: ['DELETE'], route: `${call}/faults`, authLevel: 'anonymous', handler: graphApi(options, deleteCallFaults) });
