import { GraphError } from '../graph/errors';
import type { GraphHandler } from './error-boundary';
import { methodsFor } from './route-table';

/**
 * The app's lowest-precedence route, `{*path}` for every method. The Azure host answers a path no
 * function matches (or a known path with another method) with an empty 404; Graph answers with
 * its error shape. Registering this route makes the app answer those requests itself, so a bot
 * sees the same Graph-shaped 404 / 405 locally and on Azure.
 */
export const unknownRoute: GraphHandler = async (request) => {
  const path = new URL(request.url).pathname;
  const allowed = methodsFor(path);
  if (allowed.length > 0) throw GraphError.methodNotAllowed(request.method, path, allowed);
  throw GraphError.noRoute(request.method, path);
};
