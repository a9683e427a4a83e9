import type { HttpResponseInit } from '@azure/functions';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { isOwnedBy } from '../calls/model';
import { operationJson } from '../graph/resources';
import { applySelection, operationSelection } from '../graph/select';
import { ownerOf, type ApiRequest } from './graph-api';
import { nextLinkOf, pageSize, storageSkipToken } from './paging';
import { loadOwnedCall, routeCallId } from './owned-calls';
import { metadataContext, operationBody } from './responses';

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

/** A page of GET .../operations unless `$top` says otherwise; and the most a page holds. */
export const OPERATIONS_PAGE = 100;

/** GET .../calls/{id}/operations[?$top=N]: every operation of the caller's call, a page at a time with @odata.nextLink. */
export async function listOperations(req: ApiRequest): Promise<HttpResponseInit> {
  const size = pageSize(req.request.query.get('$top'), OPERATIONS_PAGE);
  const after = storageSkipToken(req.request.query.get('$skiptoken'));
  const call = await loadOwnedCall(req);
  const { operations, next } = await req.services.calls.operationsPage(call.id, { size, ...(after !== undefined && { after }) });
  return {
    status: 200,
    jsonBody: {
      '@odata.context': metadataContext(req, `communications/calls('${call.id}')/operations`),
      value: operations.map((op) => operationJson(op, req.services.config.enumCasing)),
      ...(next !== undefined && { '@odata.nextLink': nextLinkOf(req.baseUrl, req.request.url, next) }),
    },
  };
}
