import type { HttpResponseInit } from '@azure/functions';
import type { Operation } from '../calls/model';
import { absoluteUrl, resourcePath } from '../graph/paths';
import { operationJson, OPERATION_ODATA_TYPE } from '../graph/resources';
import { addressOf, type ApiRequest } from './graph-api';

export function metadataContext(req: ApiRequest, fragment: string): string {
  return `${req.baseUrl}/${req.version}/$metadata#${fragment}`;
}

/** An operation as its own resource (GET .../operations/{id}). */
export function operationBody(req: ApiRequest, op: Operation): Record<string, unknown> {
  return {
    '@odata.context': metadataContext(req, OPERATION_ODATA_TYPE[op.type].slice(1)),
    ...operationJson(op, req.services.config.enumCasing),
  };
}

/**
 * A media action's answer: 200 + Location + the operation today; on the 2018
 * /applications/{appId}/calls paths, 202 Accepted + Location and no body, as documented then.
 */
export function actionResponse(req: ApiRequest, op: Operation): HttpResponseInit {
  const location = absoluteUrl(req.baseUrl, req.version, resourcePath(addressOf(req, op.callId), op.id));
  if (req.family === 'applications') return { status: 202, headers: { Location: location } };
  return { status: 200, headers: { Location: location }, jsonBody: operationBody(req, op) };
}
