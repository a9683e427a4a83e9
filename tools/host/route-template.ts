/**
 * Route templates as the Azure Functions host reads them (ASP.NET routing syntax):
 *   literal segments (case-insensitive), `{name}`, `{name?}`, `{name=default}`, `{*rest}`,
 *   constraints `{id:guid}`, `{n:int:min(1)}`, and segments that mix literals and parameters
 *   (`{name}.{ext}`). Parameter values arrive percent-decoded.
 */
import { buildConstraint, RouteTemplateError, type Constraint } from './route-constraints';

export { RouteTemplateError } from './route-constraints';

export interface RouteTemplate {
  readonly template: string;
  /** Lower sorts first: literals beat constrained parameters, which beat plain ones, then catch-alls. */
  readonly precedence: readonly number[];
  match(path: string): Record<string, string> | undefined;
  /** The same, for a path already split (splitPath): the host splits a request's path once for all its routes. */
  matchParts(path: PathParts): Record<string, string> | undefined;
}


interface Parameter {
  readonly name: string;
  readonly catchAll: boolean;
  readonly optional: boolean;
  readonly defaultValue?: string;
  readonly constraints: readonly Constraint[];
}

type Segment =
  | { readonly kind: 'literal'; readonly text: string; readonly lower: string }
  | { readonly kind: 'parameter'; readonly parameter: Parameter }
  | { readonly kind: 'complex'; readonly pattern: RegExp; readonly parameters: readonly Parameter[] };


export function parseRouteTemplate(template: string): RouteTemplate {
  const segments = splitTemplate(template).map((text) => parseSegment(text, template));
  segments.forEach((segment, i) => {
    if (segment.kind === 'parameter' && segment.parameter.catchAll && i !== segments.length - 1) {
      throw new RouteTemplateError(`In route '${template}', a catch-all parameter must be the last segment.`);
    }
  });
  const literals = segments.flatMap((segment, i) => (segment.kind === 'literal' ? [[i, segment.lower] as const] : []));
  const fewest = segments.filter((segment) => segment.kind !== 'parameter' || !(segment.parameter.optional || segment.parameter.catchAll || segment.parameter.defaultValue !== undefined)).length;
  const most = segments.some((segment) => segment.kind === 'parameter' && segment.parameter.catchAll) ? Number.POSITIVE_INFINITY : segments.length;
  // A host tries a request against a hundred routes: the part count and the literal segments rule
  // most of them out before any parameter's constraint runs.
  const matchParts = (path: PathParts) => {
    const count = path.decoded.length;
    if (count < fewest || count > most || literals.some(([i, lower]) => i < count && path.lower[i] !== lower)) return undefined;
    return matchSegments(segments, path);
  };
  return {
    template,
    precedence: segments.map(segmentPrecedence),
    match: (path) => matchParts(splitPath(path)),
    matchParts,
  };
}

/** Joins host.json's routePrefix and a function's route the way the Functions host does. */
export function joinRoute(prefix: string, route: string): string {
  return [prefix, route].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
}

export function comparePrecedence(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

function segmentPrecedence(segment: Segment): number {
  if (segment.kind === 'literal') return 1;
  if (segment.kind === 'complex') return 2;
  if (segment.parameter.catchAll) return 5;
  return segment.parameter.constraints.length > 0 ? 3 : 4;
}

// ---- matching -------------------------------------------------------------------------------

/** A request's path split at its slashes and percent-decoded, once for all the routes it is tried against. */
export interface PathParts {
  readonly decoded: readonly string[];
  /** The same, lowercased: literal segments match case-insensitively. */
  readonly lower: readonly string[];
}

export function splitPath(path: string): PathParts {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const decoded = trimmed === '' ? [] : trimmed.split('/').map(decode);
  return { decoded, lower: decoded.map((part) => part.toLowerCase()) };
}

/** Percent-decodes a segment; a malformed escape stays as it is, as ASP.NET Core's routing leaves it. */
function decode(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function matchSegments(segments: readonly Segment[], path: PathParts): Record<string, string> | undefined {
  const { decoded, lower } = path;
  const values: Record<string, string> = {};
  let i = 0;
  for (const segment of segments) {
    if (segment.kind === 'parameter' && segment.parameter.catchAll) {
      const rest = decoded.slice(i).join('/');
      i = decoded.length;
      if (!bind(segment.parameter, rest, values)) return undefined;
      continue;
    }
    const part = decoded[i];
    if (part === undefined) {
      if (segment.kind === 'parameter' && bind(segment.parameter, '', values)) continue;
      return undefined;
    }
    if (segment.kind === 'literal') {
      if (lower[i] !== segment.lower) return undefined;
    } else if (segment.kind === 'parameter') {
      if (!bind(segment.parameter, part, values)) return undefined;
    } else {
      const m = segment.pattern.exec(part);
      if (!m) return undefined;
      for (const [k, parameter] of segment.parameters.entries()) {
        if (!bind(parameter, m[k + 1] ?? '', values)) return undefined;
      }
    }
    i++;
  }
  return i === decoded.length ? values : undefined;
}

/** Records a parameter's value; an empty value is allowed only for optional or defaulted ones. */
function bind(parameter: Parameter, value: string, values: Record<string, string>): boolean {
  if (value === '') {
    if (parameter.defaultValue !== undefined) {
      values[parameter.name] = parameter.defaultValue;
      return true;
    }
    return parameter.optional || parameter.catchAll;
  }
  if (!parameter.constraints.every((ok) => ok(value))) return false;
  values[parameter.name] = value;
  return true;
}

// ---- parsing --------------------------------------------------------------------------------

/** Splits on '/' outside braces, so constraint arguments may contain slashes. */
function splitTemplate(template: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of template.replace(/^\/+|\/+$/g, '')) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === '/' && depth === 0) {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '' || segments.length > 0) segments.push(current);
  if (segments.some((s) => s === '')) throw new RouteTemplateError(`Route '${template}' has an empty segment.`);
  return segments;
}

function parseSegment(text: string, template: string): Segment {
  const pieces: (string | Parameter)[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '{') {
      const end = closingBrace(text, i);
      if (end < 0) throw new RouteTemplateError(`Route '${template}' has an unclosed '{'.`);
      pieces.push(parseParameter(text.slice(i + 1, end), template));
      i = end + 1;
    } else {
      const next = text.indexOf('{', i);
      const literal = text.slice(i, next < 0 ? undefined : next);
      if (literal.includes('}')) throw new RouteTemplateError(`Route '${template}' has an unmatched '}'.`);
      pieces.push(literal);
      i = next < 0 ? text.length : next;
    }
  }
  const [only] = pieces;
  if (pieces.length === 1 && typeof only === 'string') return { kind: 'literal', text: only, lower: only.toLowerCase() };
  if (pieces.length === 1 && only !== undefined && typeof only !== 'string') return { kind: 'parameter', parameter: only };
  const parameters = pieces.filter((p): p is Parameter => typeof p !== 'string');
  if (parameters.some((p) => p.catchAll)) {
    throw new RouteTemplateError(`In route '${template}', a catch-all parameter must be a whole segment.`);
  }
  const source = pieces.map((p) => (typeof p === 'string' ? escapeRegExp(p) : '(.+?)')).join('');
  return { kind: 'complex', pattern: new RegExp(`^${source}$`, 'i'), parameters };
}

function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function parseParameter(spec: string, template: string): Parameter {
  const m = /^(\*{1,2})?([A-Za-z_][A-Za-z0-9_-]*)(.*)$/s.exec(spec);
  if (!m) throw new RouteTemplateError(`Route '${template}' has an invalid parameter '{${spec}}'.`);
  const [, stars, name = '', rest = ''] = m;
  let remaining = rest;
  const constraints: Constraint[] = [];
  while (remaining.startsWith(':')) {
    const c = /^:([A-Za-z]+)/.exec(remaining);
    if (!c) throw new RouteTemplateError(`Route '${template}' has an invalid constraint in '{${spec}}'.`);
    const constraintName = c[1] ?? '';
    remaining = remaining.slice(c[0].length);
    let args: string | undefined;
    if (remaining.startsWith('(')) {
      const close = closingParen(remaining);
      if (close < 0) throw new RouteTemplateError(`Route '${template}' has an unclosed '(' in '{${spec}}'.`);
      args = remaining.slice(1, close);
      remaining = remaining.slice(close + 1);
    }
    constraints.push(buildConstraint(constraintName, args, template));
  }
  let optional = false;
  let defaultValue: string | undefined;
  if (remaining === '?') optional = true;
  else if (remaining.startsWith('=')) defaultValue = remaining.slice(1);
  else if (remaining !== '') throw new RouteTemplateError(`Route '${template}' has an invalid parameter '{${spec}}'.`);
  return { name, catchAll: Boolean(stars), optional, constraints, ...(defaultValue !== undefined && { defaultValue }) };
}

function closingParen(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
