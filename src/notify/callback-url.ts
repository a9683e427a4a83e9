import { isIP } from 'node:net';

/**
 * The one parser and policy for callback URLs, used when a call is created, answered or comes in,
 * and again before each delivery. A URL it accepts can be posted to as written; anything else is
 * refused up front (400) rather than failing later where nobody sees it.
 */
export const MAX_CALLBACK_URI_LENGTH = 2048;
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.toLowerCase().endsWith('.localhost');
}

function isDnsName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => DNS_LABEL.test(label)) && !/^[0-9.]+$/.test(name);
}

/** The authority as written (between `//` and the path); backslash ends it too, as URL parsers treat it like `/`. */
function writtenAuthority(value: string): string {
  return value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#\\]/)[0] ?? '';
}

/** The host part of an authority without userinfo, lower-cased, brackets kept. */
function hostOf(authority: string): string {
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
  return host.toLowerCase();
}

/** What is wrong with this callback URL (a phrase that follows the field name), or undefined when it is acceptable. */
export function callbackUrlProblem(value: string, mode: 'local' | 'deployed'): string | undefined {
  const shape = callbackShapeProblem(value);
  if (shape) return shape;
  const url = new URL(value);
  if (url.protocol === 'http:' && mode === 'local' && isLoopbackHost(url.hostname)) return undefined;
  if (url.protocol !== 'https:') {
    const exception = mode === 'local' ? ' (http is accepted only for loopback hosts: localhost, 127.0.0.1, [::1])' : '';
    return `must be an https URL${exception}; got '${url.protocol}//${url.host}'`;
  }
  return undefined;
}

/** The rules that hold whatever the mode: an absolute http(s) URL, no userinfo or fragment, a plain host. */
export function callbackShapeProblem(value: string): string | undefined {
  if (value.length > MAX_CALLBACK_URI_LENGTH) return `must be at most ${MAX_CALLBACK_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute https URL';
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'must be an absolute https URL';
  // URLs are ASCII; other characters would be silently percent-encoded or dropped by URL parsers.
  if (!/^[\x21-\x5b\x5d-\x7e]+$/.test(value)) return 'must be a URL of printable ASCII characters without spaces or backslashes (percent-encode anything else)';
  const authority = writtenAuthority(value);
  if (authority.includes('@') || url.username || url.password) return 'must not carry user information (user:password@)';
  if (value.includes('#')) return 'must not have a fragment (#...)';
  const host = hostOf(authority);
  const literal = host.replace(/^\[|\]$/g, '');
  // The host as written must be what the URL parser connects to: no numeric shorthands (0x7f.1) or odd forms.
  if (host !== url.hostname || !(isIP(literal) !== 0 || isDnsName(host))) return 'must name its host as a DNS name or an IP literal';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an https URL; got '${url.protocol}'`;
  return undefined;
}
