import { timingSafeEqual } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { silentWav } from '../graph/wav';
import { services } from '../app/services';
import type { GraphHandler } from './error-boundary';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /recordings/{callId}/{operationId}: a finished recordResponse's audio, as its
 * recordingLocation promises. The bearer token is the operation's recordingAccessToken, not an
 * app token (as in Graph's docs). 200 with the WAV bytes; 401 without the right token, or once the
 * token has expired (RECORDING_TOKEN_LIFETIME_MS after the recording ended).
 */
export const getRecording: GraphHandler = async (request) => {
  const callId = parseGuid(request.params['callId'] ?? '');
  const operationId = parseGuid(request.params['operationId'] ?? '');
  const op = callId && operationId ? await services().calls.loadOperation(callId, operationId) : undefined;
  if (!op || op.type !== 'recordResponse' || !op.recordingAccessToken) throw GraphError.itemNotFound('No recording is available at this location.');
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!bearer) throw GraphError.unauthenticated("A recording is fetched with 'Authorization: Bearer <recordingAccessToken>'.");
  if (!sameSecret(bearer, op.recordingAccessToken)) throw GraphError.unauthenticated('The token is not this recording’s recordingAccessToken.');
  // A token in a log or a dead letter must not fetch the recording for ever.
  const s = services();
  if (s.now() > (op.endedAt ?? 0) + s.config.recordingTokenLifetimeMs) {
    throw GraphError.unauthenticated(`This recordingAccessToken expired ${s.config.recordingTokenLifetimeMs / 1000} s after the recording ended.`);
  }
  const response: HttpResponseInit = {
    status: 200,
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${op.id}.wav"` },
    body: silentWav(op.recordedMs ?? 0),
  };
  return response;
};
