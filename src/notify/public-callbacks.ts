import { lookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

/**
 * Deployed, the service must not be made to POST into its own network: callbacks may only reach
 * public addresses. The check runs when connecting, on the addresses the name resolves to at that
 * moment, so a name that resolves differently later (DNS rebinding) cannot slip through.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (and cloud metadata endpoints)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['168.63.129.16', 32], // Azure's platform endpoint, reachable from every Azure host
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64: would reach IPv4 addresses through the translator
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fec0::', 10], // site-local (deprecated, still private)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return isPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export const NOT_PUBLIC_CODE = 'ECALLBACKNOTPUBLIC';

export class NotPublicAddressError extends Error {
  readonly code = NOT_PUBLIC_CODE;
}

/** Refuses a callback URL whose host is an IP literal that is not public (no lookup happens for those). */
export function assertPublicHost(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new NotPublicAddressError(`${host} is not a public address`);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** Resolves a name to all its addresses (dns.lookup by default; tests pass their own). */
export type Resolver = (hostname: string, family: number | undefined, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, family, callback) => lookup(hostname, { all: true, family: family ?? 0 }, callback);

function publicLookup(resolve: Resolver) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    resolve(hostname, options.family, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused) return callback(new NotPublicAddressError(`${hostname} resolves to ${refused.address}, which is not a public address`), []);
      const [first] = addresses;
      if (options.all || !first) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/** An HTTP client that connects only to public addresses, checking each connection's resolution. */
export function publicOnlyAgent(resolve: Resolver = systemResolver): Agent {
  return new Agent({ connect: { lookup: publicLookup(resolve) as never } });
}

/** The HTTP client of deployed mode. */
export const publicOnly = publicOnlyAgent();
