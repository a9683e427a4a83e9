import type { HttpResponseInit } from '@azure/functions';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { isOwnedBy } from '../calls/model';
import { applySelection, operationSelection } from '../graph/select';
import { ownerOf, type ApiRequest } from './graph-api';
import { routeCallId } from './owned-calls';
import { operationBody } from './responses';

/** GET .../calls/{id}/operations/{opId}[?$select=...]: any operation of the caller's call, one point read. */
export async function getOperation(req: ApiRequest): Promise<HttpResponseInit> {
  const selection = operationSelection(req.request.query.get('$select'));
  const callId = routeCallId(req);
  const raw = req.request.params['operationId'] ?? '';
  const operationId = parseGuid(raw);
  const op = operationId ? await req.services.calls.loadOperation(callId, operationId) : undefined;
  if (!op || !isOwnedBy(op, ownerOf(req))) throw GraphError.itemNotFound(`Operation '${raw}' of call '${callId}' was not found.`);
  return { status: 200, jsonBody: applySelection(operationBody(req, op), selection) };
}
