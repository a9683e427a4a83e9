import type { HttpResponseInit } from '@azure/functions';
import type { ApiRequest } from './graph-api';

/**
 * GET /emulator/metrics (local mode): what this instance did since the last read, which resets
 * the counters: Graph requests and their wait at the request gate (and whether apps share the
 * instance now, when its limit holds), storage round trips per kind of work and background work's
 * wait for the storage pool, the event loop's delay, notification tokens signed. `npm run bench
 * -- wave` prints it per wave.
 */
export async function readMetrics(req: ApiRequest): Promise<HttpResponseInit> {
  const s = req.services;
  const { requestGate: gate, storagePool: pool } = s;
  return {
    status: 200,
    jsonBody: {
      requests: { limit: gate.limit, shared: gate.shared, ...gate.takeStats() },
      storage: { backgroundLimit: pool.backgroundLimit, ...pool.takeStats() },
      ...s.metrics.take(),
    },
  };
}
