import type { HttpResponseInit } from '@azure/functions';
import { isOwnedBy, type Call, type Operation } from '../calls/model';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { commitChange, type CommitOutcome, type Decide } from '../service/commit';
import { ownerOf, type ApiRequest } from './graph-api';
import { actionResponse } from './responses';

/**
 * The calling app's own calls: found by the route's call id, changed through the one write path,
 * and a 404 for a call that does not exist or is another app's (the same answer for both).
 */

/**
 * Finds the route's call, lets `decide` change it and commits the change (service/commit.ts); a
 * 404 when the call does not exist or is another app's. What "unchanged" means is the handler's.
 */
export async function changeOwnedCall<R>(req: ApiRequest, decide: Decide<R>): Promise<Exclude<CommitOutcome<R>, { kind: 'notFound' }>> {
  const callId = routeCallId(req);
  const outcome = await commitChange(req.services, callId, decide, { owner: ownerOf(req) });
  if (outcome.kind === 'notFound') throw callNotFound(callId);
  return outcome;
}

/** The route's call, read once; a 404 when it does not exist or is another app's (the same answer for both). */
export async function loadOwnedCall(req: ApiRequest): Promise<Call> {
  const callId = routeCallId(req);
  const loaded = await req.services.calls.load(callId);
  if (!loaded || loaded.record.deleting || !isOwnedBy(loaded.record.call, ownerOf(req))) throw callNotFound(callId);
  return loaded.record.call;
}

/** The call id in the route, in canonical form; a 404 when it is not a GUID (no call can have it). */
export function routeCallId(req: Pick<ApiRequest, 'request'>): string {
  const raw = req.request.params['callId'] ?? '';
  const id = parseGuid(raw);
  if (!id) throw callNotFound(raw);
  return id;
}

export function callNotFound(id: string): GraphError {
  return GraphError.itemNotFound(`Call '${id}' was not found.`);
}

/** Runs an action that creates an operation (or is refused, never a no-op) and answers with it. */
export async function operationAction(req: ApiRequest, decide: Decide<Operation>): Promise<HttpResponseInit> {
  const outcome = await changeOwnedCall(req, decide);
  if (outcome.kind === 'unchanged') throw new Error('An action that creates an operation decided to change nothing.');
  return actionResponse(req, outcome.change.result);
}
