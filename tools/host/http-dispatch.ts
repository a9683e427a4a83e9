import type { HttpRequestInit, HttpResponse, HttpResponseInit } from '@azure/functions';
import { invoke, type ContextConstructor } from './invocation';
import type { HostLogger } from './logger';
import type { RegisteredFunction } from './registry';
import { comparePrecedence, joinRoute, parseRouteTemplate, splitPath, type RouteTemplate } from './route-template';

// Which function a request goes to and what it answers, whatever carried the request: the host's
// node:http server (http-trigger.ts) and the tests' in-process fetch both dispatch through here.

export interface HttpRoute {
  readonly fn: RegisteredFunction;
  readonly template: RouteTemplate;
  readonly methods: readonly string[];
}

export interface HttpLibrary {
  readonly HttpRequest: new (init: HttpRequestInit) => unknown;
  readonly HttpResponse: new (init?: HttpResponseInit) => HttpResponse;
  readonly InvocationContext: ContextConstructor;
}

/** The host's routing table: routePrefix + each function's route, most specific first. */
export function buildRoutes(functions: readonly RegisteredFunction[], routePrefix: string): HttpRoute[] {
  const routes = functions
    .filter((fn) => fn.trigger.type.toLowerCase() === 'httptrigger')
    .map((fn) => {
      const route = typeof fn.trigger['route'] === 'string' ? fn.trigger['route'] : fn.metadata.name;
      const methods = Array.isArray(fn.trigger['methods']) ? (fn.trigger['methods'] as string[]) : [];
      return {
        fn,
        template: parseRouteTemplate(joinRoute(routePrefix, route)),
        // No methods means every method, as in the Functions host.
        methods: methods.map((m) => m.toUpperCase()),
      };
    });
  // Array.prototype.sort is stable: equal precedence keeps registration order.
  return routes.sort((a, b) => comparePrecedence(a.template.precedence, b.template.precedence));
}

/** What the host hands a function: the parts of an HTTP request, whatever carried it. */
export interface HostRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface MatchedRoute {
  readonly route: HttpRoute;
  readonly params: Record<string, string>;
}

/** The first route (most specific first) that takes this method and path; none: the host answers 404. */
export function matchRoute(routes: readonly HttpRoute[], method: string, pathname: string): MatchedRoute | undefined {
  const parts = splitPath(pathname); // once for every route, not once per route
  for (const route of routes) {
    const params = route.template.matchParts(parts);
    if (params && (route.methods.length === 0 || route.methods.includes(method))) return { route, params };
  }
  return undefined;
}

/** Calls the matched function with the library's HttpRequest and returns what it returned, as an HttpResponse. */
export async function invokeRoute(matched: MatchedRoute, request: HostRequest, deps: { readonly library: HttpLibrary; readonly logger: HostLogger }): Promise<{ response: HttpResponse; streamed: boolean }> {
  const httpRequest = new deps.library.HttpRequest({
    method: request.method,
    url: request.url.href,
    headers: request.headers,
    params: matched.params,
    ...(request.body.length > 0 && { body: { bytes: request.body } }),
  });
  const result = await invoke(matched.route.fn, httpRequest, undefined, { InvocationContext: deps.library.InvocationContext, logger: deps.logger });
  const init = (result ?? {}) as HttpResponseInit;
  const streamed = !isHttpResponse(result) && isStreamBody(init.body);
  return { response: isHttpResponse(result) ? result : new deps.library.HttpResponse(init), streamed };
}

export function isHttpResponse(value: unknown): value is HttpResponse {
  return typeof value === 'object' && value !== null && (value as HttpResponse).headers instanceof Headers && typeof (value as HttpResponse).arrayBuffer === 'function';
}

/** A body given as a stream (server-sent events, a long download) rather than as a value. */
export function isStreamBody(body: unknown): boolean {
  return body instanceof ReadableStream || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body && !ArrayBuffer.isView(body));
}

