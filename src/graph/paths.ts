import type { ApiVersion, PathFamily } from '../calls/model';
import { notificationIdForm, type NotificationIdForm } from './ids';

/**
 * Graph's URL shapes for calls, per path family:
 *   communications   /{v}/communications/calls/{id}             (current)
 *   app              /{v}/app/calls/{id}                        (deprecated beta singleton, same behaviour)
 *   applications     /{v}/applications/{appId}/calls/{id}       (2018 form: media actions answer 202)
 */
export const PATH_FAMILIES: readonly PathFamily[] = ['communications', 'app', 'applications'];

/** Route template prefixes (host.json routePrefix is "", so these are Graph's own paths). */
export const VERSION_SEGMENT = '{version:regex(^(v1\\.0|beta)$)}';
export const FAMILY_ROUTE: Readonly<Record<PathFamily, string>> = {
  communications: `${VERSION_SEGMENT}/communications/calls`,
  app: `${VERSION_SEGMENT}/app/calls`,
  applications: `${VERSION_SEGMENT}/applications/{appId}/calls`,
};

/**
 * The route segment of a bound action, e.g. `playPrompt`: the action's name, or its namespace-qualified
 * form `microsoft.graph.playPrompt`, which the Microsoft.Graph v1-v4 .NET request builders (and the
 * Communications SDK built on them) post to. OData allows both and Graph accepts both. Written as
 * an alternation: a `)?` inside a route constraint would end it early in ASP.NET's route parser.
 */
export function actionSegment(action: string): string {
  return `{action:regex(^(${action}|microsoft\\.graph\\.${action})$)}`;
}

export interface CallAddress {
  readonly family: PathFamily;
  /** The owner's app id, used by the applications family. */
  readonly appId: string;
  readonly callId: string;
}

function collection(family: PathFamily, appId: string): string {
  if (family === 'applications') return `/applications/${appId}/calls`;
  return family === 'app' ? '/app/calls' : '/communications/calls';
}

/** `/communications/calls/{id}[/operations/{opId}]` with ids as given (canonical in Location headers). */
export function resourcePath(address: CallAddress, operationId?: string): string {
  const call = `${collection(address.family, address.appId)}/${address.callId}`;
  return operationId ? `${call}/operations/${operationId}` : call;
}

/** The same path with the ids in the form notifications carry (see NotificationIdForm). */
export function notificationPath(address: CallAddress, form: NotificationIdForm, operationId?: string): string {
  const id = (value: string) => notificationIdForm(value, form);
  return resourcePath({ ...address, callId: id(address.callId) }, operationId && id(operationId));
}

/** An absolute URL on this service, for Location headers. */
export function absoluteUrl(baseUrl: string, version: ApiVersion, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${version}${path}`;
}

/** Where a finished recording is served, relative to the service's base URL. */
export function recordingPath(callId: string, operationId: string): string {
  return `/recordings/${callId}/${operationId}`;
}
