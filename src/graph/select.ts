import type { ApiVersion, OperationType } from '../calls/model';
import { GraphError } from './errors';
import { OPERATION_ODATA_TYPE, OPERATION_PROPERTIES } from './resources';

/**
 * OData `$select` on GET call and GET operation, as Graph answers it: only the selected properties,
 * plus the `@odata.*` annotations. Names are matched case-insensitively and written as declared.
 * A name the type does not declare is a 400 with Graph's own message. commsOperation is an open type
 * whose subtypes add properties, so a subtype's property (`recordingLocation`) may be selected
 * directly or cast (`microsoft.graph.recordOperation/recordingLocation`); it appears on operations
 * of that subtype only.
 */

const NAMESPACE = 'microsoft.graph.';

const CALL_V1 = [
  'id', 'audioRoutingGroups', 'callbackUri', 'callChainId', 'callOptions', 'callRoutes', 'chatInfo', 'contentSharingSessions',
  'direction', 'incomingContext', 'mediaConfig', 'mediaState', 'meetingInfo', 'myParticipantId', 'operations', 'participants',
  'requestedModalities', 'resultInfo', 'source', 'state', 'subject', 'targets', 'tenantId', 'toneInfo', 'transcription',
];
const CALL_BETA_ONLY = ['activeModalities', 'answeredBy', 'meetingCapability', 'ringingTimeoutInSeconds', 'routingPolicies', 'terminationReason'];
/** Navigation properties: selectable, but the resource itself carries no data for them. */
const CALL_NAVIGATION = new Set(['audioRoutingGroups', 'contentSharingSessions', 'operations', 'participants']);

const OPERATION_BASE = ['id', 'clientContext', 'resultInfo', 'status'];
/** Each operation subtype's name (`playPromptOperation`...) and the properties it adds. */
const OPERATION_SUBTYPES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (Object.keys(OPERATION_ODATA_TYPE) as OperationType[]).map((type) => [OPERATION_ODATA_TYPE[type].replace(`#${NAMESPACE}`, ''), OPERATION_PROPERTIES[type]]),
);

export interface Selection {
  /** Declared names, in the order asked, for @odata.context. */
  readonly names: readonly string[];
  /** Which resources a name applies to: undefined = any, else only this `@odata.type`. */
  readonly entries: readonly { readonly name: string; readonly onlyType?: string }[];
}

function lookup(declared: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return declared.find((d) => d.toLowerCase() === lower);
}

function notFound(name: string, type: string): GraphError {
  return GraphError.badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${NAMESPACE}${type}'.`);
}

/** The `$select` items, or undefined when there is none (or `*`): everything is returned. */
function items(raw: string | null): string[] | undefined {
  if (raw === null) return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length === 0 || list.includes('*') ? undefined : list;
}

export function callSelection(raw: string | null, version: ApiVersion): Selection | undefined {
  const list = items(raw);
  if (!list) return undefined;
  const declared = version === 'beta' ? [...CALL_V1, ...CALL_BETA_ONLY] : CALL_V1;
  const entries = list.map((item) => {
    const name = lookup(declared, item);
    if (!name) throw notFound(item, 'call');
    return { name };
  });
  return { names: entries.map((e) => e.name), entries };
}

export function operationSelection(raw: string | null): Selection | undefined {
  const list = items(raw);
  if (!list) return undefined;
  const entries = list.map((item) => {
    const slash = item.lastIndexOf('/');
    if (slash >= 0) {
      const cast = item.slice(0, slash).replace(/^microsoft\.graph\./i, '');
      const subtype = Object.keys(OPERATION_SUBTYPES).find((t) => t.toLowerCase() === cast.toLowerCase());
      if (!subtype) throw GraphError.badRequest(`Parsing OData Select and Expand failed: The type '${item.slice(0, slash)}' is not a type derived from '${NAMESPACE}commsOperation'.`);
      const name = lookup([...OPERATION_BASE, ...(OPERATION_SUBTYPES[subtype] ?? [])], item.slice(slash + 1));
      if (!name) throw notFound(item.slice(slash + 1), subtype);
      return { name, onlyType: `#${NAMESPACE}${subtype}` };
    }
    const name = lookup(OPERATION_BASE, item) ?? lookup(Object.values(OPERATION_SUBTYPES).flat(), item);
    if (!name) throw notFound(item, 'commsOperation');
    return { name };
  });
  return { names: entries.map((e) => e.name), entries };
}

/** The resource with only the selected properties and its annotations; a declared property it lacks is null. */
export function applySelection(resource: Record<string, unknown>, selection: Selection | undefined): Record<string, unknown> {
  if (!selection) return resource;
  const type = resource['@odata.type'];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) if (key.startsWith('@odata.')) out[key] = value;
  for (const { name, onlyType } of selection.entries) {
    if (onlyType !== undefined && onlyType !== type) continue;
    if (name in resource) out[name] = resource[name];
    else if (type === '#microsoft.graph.call' && !CALL_NAVIGATION.has(name)) out[name] = null;
  }
  return out;
}
