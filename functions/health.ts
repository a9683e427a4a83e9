import { app } from '@azure/functions';
import { graphRoute } from '../src/graph/handler';
import { health } from '../src/health';

app.http('health', { methods: ['GET'], route: 'health', authLevel: 'anonymous', handler: graphRoute(health) });
