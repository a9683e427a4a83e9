import { lookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';

/**
 * Deployed, the service must not be made to POST into its own network: callbacks may only reach
 * globally reachable addresses. The check runs when connecting, on the addresses the name resolves
 * to at that moment, so a name that resolves differently later (DNS rebinding) cannot slip through.
 * Which addresses are special-purpose comes from ipaddr.js, which follows IANA's IPv4 and IPv6
 * special-purpose registries: only its `unicast` range (nothing special) is public here. An
 * IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
// Azure's platform endpoint (DNS, health, metadata) is ordinary unicast, yet reachable from every Azure host.
const AZURE_PLATFORM = ipaddr.parse('168.63.129.16');

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address) || isIP(address) === 0) return false;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4' && parsed.toString() === AZURE_PLATFORM.toString()) return false;
  return parsed.range() === 'unicast';
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
