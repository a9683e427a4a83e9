import { app, type HttpFunctionOptions, type HttpMethod } from '@azure/functions';

/**
 * The app's HTTP routes, recorded as they are registered, so that the catch-all route can tell a
 * path that exists under other methods (405) from one that does not exist (404). Templates use
 * the two forms the app needs, `{name}` and `{name:regex(...)}`; anything else is refused at
 * registration, so the table never disagrees with the host's routing.
 */
interface KnownRoute {
  readonly segments: readonly ((segment: string) => boolean)[];
  readonly methods: readonly string[];
}

const known: KnownRoute[] = [];

function segmentMatcher(template: string, route: string): (segment: string) => boolean {
  const parameter = /^\{[A-Za-z_][A-Za-z0-9_]*(?::regex\((.+)\))?\}$/.exec(template);
  if (parameter) {
    const pattern = parameter[1] === undefined ? undefined : new RegExp(parameter[1], 'i');
    return (segment) => segment !== '' && (pattern === undefined || pattern.test(segment));
  }
  if (/[{}*]/.test(template)) throw new Error(`Route '${route}': the route table knows only {name} and {name:regex(...)} segments.`);
  const literal = template.toLowerCase();
  return (segment) => segment.toLowerCase() === literal;
}

/** app.http, remembering the route and its methods. */
export function httpRoute(name: string, options: HttpFunctionOptions & { route: string; methods: HttpMethod[] }): void {
  known.push({ segments: options.route.split('/').map((t) => segmentMatcher(t, options.route)), methods: options.methods });
  app.http(name, options);
}

/** The methods that some registered route accepts on this path; none when no route has the path. */
export function methodsFor(pathname: string): string[] {
  const segments = pathname.replace(/^\/+/, '').split('/').map((s) => decodeSegment(s));
  const methods = new Set<string>();
  for (const route of known) {
    if (route.segments.length === segments.length && route.segments.every((match, i) => match(segments[i] as string))) {
      route.methods.forEach((m) => methods.add(m));
    }
  }
  return [...methods];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
