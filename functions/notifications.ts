import { app } from '@azure/functions';
import { STORAGE_CONNECTION } from '../src/config';
import { graphRoute } from '../src/graph/handler';
import { listDeadLetters, replayDeadLetter } from '../src/notify/dead-letter-routes';
import { jwks, openIdConfiguration } from '../src/notify/openid';
import { runDrain, runSweeper } from '../src/notify/queue-handlers';

app.storageQueue('notifications', { queueName: '%NOTIFICATIONS_QUEUE%', connection: STORAGE_CONNECTION, handler: runDrain });
app.timer('sweeper', { schedule: '%SWEEP_SCHEDULE%', handler: runSweeper });

// How a bot validates notification tokens, as it does Graph's.
app.http('openIdConfiguration', { methods: ['GET'], route: '.well-known/openid-configuration', authLevel: 'anonymous', handler: graphRoute(openIdConfiguration) });
app.http('jwks', { methods: ['GET'], route: '.well-known/jwks.json', authLevel: 'anonymous', handler: graphRoute(jwks) });

// For the operator: on Azure these need the host's master key (authLevel admin).
app.http('deadLetters', { methods: ['GET'], route: 'notifications/deadLetters', authLevel: 'admin', handler: graphRoute(listDeadLetters) });
app.http('replayDeadLetter', { methods: ['POST'], route: 'notifications/deadLetters/{id}/replay', authLevel: 'admin', handler: graphRoute(replayDeadLetter) });
