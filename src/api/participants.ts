import type { HttpResponseInit } from '@azure/functions';
import type { Call } from '../calls/model';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import { participantsJson } from '../graph/resources';
import { type ApiRequest } from './graph-api';
import { loadOwnedCall } from './owned-calls';
import { metadataContext } from './responses';

/** Who is on the call now: the bot and the other side; nobody once it has ended. */
function roster(call: Call): Record<string, unknown>[] {
  return call.state === 'terminated' ? [] : participantsJson(call);
}

/** GET .../calls/{id}/participants */
export async function listParticipants(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const collection = req.family === 'communications' ? 'communications/calls' : 'app/calls';
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, `${collection}('${call.id}')/participants`), value: roster(call) } };
}

/** GET .../calls/{id}/participants/{participantId} */
export async function getParticipant(req: ApiRequest): Promise<HttpResponseInit> {
  const call = await loadOwnedCall(req);
  const raw = req.request.params['participantId'] ?? '';
  const id = parseGuid(raw);
  const found = roster(call).find((p) => p['id'] === id);
  if (!found) throw GraphError.itemNotFound(`Participant '${raw}' of call '${call.id}' was not found.`);
  return { status: 200, jsonBody: { '@odata.context': metadataContext(req, '#microsoft.graph.participant'.slice(1)), ...found } };
}
