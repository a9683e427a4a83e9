import { httpRoute } from '../src/api/route-table';
import { graphRoute } from '../src/api/graph-route';
import { health } from '../src/api/health';

httpRoute('health', { methods: ['GET'], route: 'health', authLevel: 'anonymous', handler: graphRoute(health) });
