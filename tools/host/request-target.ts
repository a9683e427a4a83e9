import type { IncomingMessage } from 'node:http';

/**
 * The request URL a handler sees, built from the scheme and address the host listens on and the path of the
 * request target, never from the Host header or an authority in the target: `//evil.example/x`
 * is the path `//evil.example/x`, and an absolute-form target contributes only its path and query.
 * Undefined when the request cannot be mapped (asterisk-form, a malformed Host) → 400.
 */
const HOST_HEADER = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function requestUrl(req: IncomingMessage): URL | undefined {
  const host = req.headers.host;
  if (host !== undefined && !HOST_HEADER.test(host)) return undefined;
  const target = req.url ?? '/';
  let path: string;
  if (target.startsWith('/')) path = target;
  else if (/^https?:\/\//i.test(target)) {
    try {
      const absolute = new URL(target);
      path = `${absolute.pathname}${absolute.search}`;
    } catch {
      return undefined;
    }
  } else return undefined;
  const address = req.socket.localAddress ?? '127.0.0.1';
  // The scheme it came in on, so the absolute URLs the app writes point back the same way.
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const origin = `${scheme}://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
  try {
    const url = new URL(origin);
    // Assigning the path keeps the origin whatever the path looks like (a leading `//` included).
    const query = path.indexOf('?');
    url.pathname = query < 0 ? path : path.slice(0, query);
    url.search = query < 0 ? '' : path.slice(query);
    return url;
  } catch {
    return undefined;
  }
}
