import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import got, { type Got } from 'got';
import { BadInputError } from '../common/domain-error.js';
import { outboundHooks } from '../observability/outbound-http.js';

/**
 * The one egress policy for every outbound call Hela makes to a URL an admin (or the operator) set:
 * PSP base URLs, G2P Connect payment, status and token endpoints, the sponsor bank's API.
 *
 * - http and https only (no file:, gopher:, …), no credentials in the URL, no redirects followed;
 * - never a link-local or cloud-metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::254), nor
 *   "this network", multicast or reserved ranges;
 * - loopback and private ranges (127/8, 10/8, 172.16/12, 192.168/16, 100.64/10, ::1, fc00::/7) only
 *   with OUTBOUND_ALLOW_PRIVATE=true, the default outside production, so the simulators work.
 *
 * Checked when a URL is saved (scheme, credentials, a host given as an address or as localhost) and
 * again at connect time on every address its name resolves to, so a name that resolves to a public
 * address when saved and to 169.254.169.254 later (DNS rebinding) is refused where it matters.
 */
export interface EgressPolicy {
  allowPrivate: boolean;
}

/** A refused connection: nothing was sent. Clients treat the code like ECONNREFUSED. */
export const EGRESS_REFUSED = 'EGRESS_REFUSED';

const NEVER = new BlockList();
const PRIVATE = new BlockList();

// 100.100.100.200: Alibaba Cloud's metadata service, inside the shared (CGNAT) range.
const NEVER_V4: Array<[string, number]> = [['0.0.0.0', 8], ['169.254.0.0', 16], ['100.100.100.200', 32], ['192.0.0.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]];
const PRIVATE_V4: Array<[string, number]> = [['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['198.18.0.0', 15]];
for (const [list, v4] of [[NEVER, NEVER_V4], [PRIVATE, PRIVATE_V4]] as const) {
  for (const [network, prefix] of v4) {
    list.addSubnet(network, prefix, 'ipv4');
    // The same IPv4 addresses written as IPv6: mapped (::ffff:a.b.c.d) and through NAT64 (64:ff9b::a.b.c.d).
    list.addSubnet(`::ffff:${network}`, 96 + prefix, 'ipv6');
    list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
  }
}
NEVER.addAddress('::', 'ipv6');
NEVER.addAddress('fd00:ec2::254', 'ipv6'); // AWS instance metadata over IPv6 (inside fc00::/7, so checked first)
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addSubnet('ff00::', 8, 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** Why an address may not be connected to under this policy, or undefined when it may. */
export function addressRefusal(address: string, policy: EgressPolicy): string | undefined {
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (NEVER.check(address, type)) return `${address} is a link-local, metadata or reserved address`;
  if (!policy.allowPrivate && PRIVATE.check(address, type)) return `${address} is a loopback or private address (OUTBOUND_ALLOW_PRIVATE is off)`;
  return undefined;
}

/** The URL's host when it is an address (brackets stripped), or the loopback address a localhost name means. */
function literalAddress(hostname: string): string | undefined {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return host;
  if (/^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host)) return '127.0.0.1';
  return undefined;
}

/** An absolute http(s) URL without credentials or fragment, in its normalised form. Format only. */
export function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new BadInputError(`${field} must be an absolute http(s) URL`, { field });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadInputError(`${field} must use http or https`, { field });
  if (url.username || url.password) throw new BadInputError(`${field} must not contain credentials`, { field });
  if (url.hash) throw new BadInputError(`${field} must not contain a #fragment`, { field });
  return url.toString();
}

function refusedError(message: string): Error {
  return Object.assign(new Error(`outbound call refused by the egress policy: ${message}`), { code: EGRESS_REFUSED });
}

/** dns.lookup, refusing the whole name when any address it resolves to is refused. */
function guardedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((entry) => addressRefusal(entry.address, policy)).find(Boolean);
      if (refused) return callback(refusedError(`${hostname} resolves to ${refused}`), '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export class Egress {
  readonly policy: EgressPolicy;
  /**
   * got for every outbound client: the connect-time checks, and no redirects. Extend it; never use bare got.
   * With outboundHooks, which time each call (give it outboundContext) for the metrics.
   */
  readonly http: Got;

  constructor(policy: EgressPolicy) {
    this.policy = policy;
    this.http = got.extend({ hooks: outboundHooks }, {
      dnsLookup: guardedLookup(policy),
      followRedirect: false,
      hooks: {
        // Node connects to an address host without any lookup, so those are checked here.
        beforeRequest: [
          (options) => {
            const address = literalAddress((options.url as URL).hostname);
            const refusal = address && addressRefusal(address, policy);
            if (refusal) throw refusedError(refusal);
          },
        ],
      },
    });
  }

  /** The save-time check of an admin-set outbound URL: httpUrl, then the host if it is an address or localhost. */
  url(value: string, field: string): string {
    const url = httpUrl(value, field);
    const address = literalAddress(new URL(url).hostname);
    const refusal = address && addressRefusal(address, this.policy);
    if (refusal) throw new BadInputError(`${field} is refused by the egress policy: ${refusal}`, { field });
    return url;
  }
}
