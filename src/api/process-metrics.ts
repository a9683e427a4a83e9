import type { HttpResponseInit } from '@azure/functions';
import type { ApiRequest } from './graph-api';

/**
 * GET /emulator/metrics (local mode): what this instance did since the last read, which resets
 * the counters: storage round trips per kind of work and their wait for the storage pool, the
 * event loop's delay, notification tokens signed; whether apps share the instance now (then the
 * requests' bound holds). `npm run bench -- wave` prints it per wave.
 */
export async function readMetrics(req: ApiRequest): Promise<HttpResponseInit> {
  const s = req.services;
  return { status: 200, jsonBody: { storage: { limits: s.storagePool.limits, shared: s.storagePool.shared, ...s.storagePool.takeStats() }, ...s.metrics.take() } };
}
