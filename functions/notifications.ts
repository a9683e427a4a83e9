import { app } from '@azure/functions';
import { httpRoute } from '../src/api/route-table';
import { SLOW_LANE_SUFFIX, STORAGE_CONNECTION } from '../src/config';
import { listDeadLetters, replayDeadLetter } from '../src/api/dead-letters';
import { operatorRoute } from '../src/api/console-access';
import { getDeliveryLog } from '../src/api/delivery-log';
import { withGraphErrors } from '../src/api/error-boundary';
import { jwks, openIdConfiguration } from '../src/api/openid';
import { runDrain, runSlowLaneDrain, runSweeper } from '../src/notify/queue-handlers';
import { withServices } from '../src/app/services';

app.storageQueue('notifications', { queueName: '%NOTIFICATIONS_QUEUE%', connection: STORAGE_CONNECTION, handler: withServices(runDrain) });
// Recipients in trouble wait here, in a queue and function of their own (src/notify/recipients.ts).
app.storageQueue('notificationsSlowLane', { queueName: `%NOTIFICATIONS_QUEUE%${SLOW_LANE_SUFFIX}`, connection: STORAGE_CONNECTION, handler: withServices(runSlowLaneDrain) });
app.timer('sweeper', { schedule: '%SWEEP_SCHEDULE%', handler: withServices(runSweeper) });

// How a bot validates notification tokens, as it does Graph's.
httpRoute('openIdConfiguration', { methods: ['GET'], route: '.well-known/openid-configuration', authLevel: 'anonymous', handler: withGraphErrors(openIdConfiguration) });
httpRoute('jwks', { methods: ['GET'], route: '.well-known/jwks.json', authLevel: 'anonymous', handler: withGraphErrors(jwks) });

// For the operator: on Azure these need the host's master key (authLevel admin); locally, a loopback Host and page.
httpRoute('deadLetters', { methods: ['GET'], route: 'notifications/deadLetters', authLevel: 'admin', handler: operatorRoute(listDeadLetters) });
httpRoute('deliveryLog', { methods: ['GET'], route: 'notifications/log', authLevel: 'admin', handler: operatorRoute(getDeliveryLog) });
httpRoute('replayDeadLetter', { methods: ['POST'], route: 'notifications/deadLetters/{id}/replay', authLevel: 'admin', handler: operatorRoute(replayDeadLetter) });
