import { z } from 'zod';
import { DEFAULT_LOCAL_TENANT, mintLocalToken } from '../auth/tokens';
import { parseBody, readJsonBody } from '../graph/body';
import { parseGuid } from '../graph/ids';
import { mustBe } from '../graph/schemas';
import { services } from '../app/services';
import type { GraphHandler } from './error-boundary';

const guid = (what: string) => z.string(mustBe(`${what} (a GUID)`)).refine((v) => parseGuid(v) !== undefined, `must be ${what} (a GUID)`);
const tokenSchema = z.strictObject({ appId: guid('an app id'), tenantId: guid('a tenant id').optional() });

const EXPIRES_IN_SECONDS = 3600;

/**
 * POST /emulator/tokens {"appId": ..., "tenantId"?: ...}: a token of the local issuer for that app,
 * as `npm run token` prints, so the console can act as the app that owns a call (the emulator's
 * routes let only that app drive it). Local mode, loopback only (console-access.ts).
 */
export const mintToken: GraphHandler = async (request) => {
  const body = parseBody(tokenSchema, await readJsonBody(request, { required: true }), 'token');
  const appId = parseGuid(body.appId) as string;
  const tenantId = parseGuid(body.tenantId ?? DEFAULT_LOCAL_TENANT) as string;
  const token = await mintLocalToken(services().config.localKeysFile, { appId, tenantId, expiresInSeconds: EXPIRES_IN_SECONDS });
  return { status: 200, jsonBody: { token_type: 'Bearer', access_token: token, expires_in: EXPIRES_IN_SECONDS, appId, tenantId } };
};
