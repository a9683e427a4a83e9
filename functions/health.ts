import { httpRoute } from '../src/api/route-table';
import { withGraphErrors } from '../src/api/error-boundary';
import { health } from '../src/api/health';

httpRoute('health', { methods: ['GET'], route: 'health', authLevel: 'anonymous', handler: withGraphErrors(health) });
