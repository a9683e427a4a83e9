import { app } from '@azure/functions';
import { graphApi } from '../src/api/graph-api';
import { CALL_CONTROL_ROLES } from '../src/auth/roles';
import { callerHangsUp, pressTones, ringBot, speakFor } from '../src/simulation/caller';

// The caller simulation, outside Graph's namespace. Registered everywhere so the app's surface does
// not depend on settings, but unless SERVICE_MODE=local every route answers 404 like an unknown path.
const options = { family: 'communications' as const, roles: CALL_CONTROL_ROLES, localOnly: true };
const call = 'emulator/calls/{callId}';

app.http('emulator-tones', { methods: ['POST'], route: `${call}/tones`, authLevel: 'anonymous', handler: graphApi(options, pressTones) });
app.http('emulator-speech', { methods: ['POST'], route: `${call}/speech`, authLevel: 'anonymous', handler: graphApi(options, speakFor) });
app.http('emulator-hangUp', { methods: ['POST'], route: `${call}/hangUp`, authLevel: 'anonymous', handler: graphApi(options, callerHangsUp) });
app.http('emulator-incomingCall', { methods: ['POST'], route: 'emulator/incomingCalls', authLevel: 'anonymous', handler: graphApi(options, ringBot) });
