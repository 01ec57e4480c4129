/**
 * The key anonymous callers are limited by: the TCP peer's address, as the socket reports it.
 * Never X-Forwarded-For or Forwarded, which any client can set to get a fresh bucket per request.
 * IPv4-mapped IPv6 addresses count as the IPv4 address. Other IPv6 addresses count by their /64:
 * one subscriber usually holds a whole /64, and per address it would have 2^64 buckets.
 */
export function clientAddressKey(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  const address = remoteAddress.split('%')[0]; // a link-local zone (fe80::1%eth0) says nothing about the caller
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded, without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.split('::');
  const part = (text: string | undefined) => (text ? text.split(':') : []);
  const groups = (text: string | undefined) => part(text).flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])); // an embedded IPv4 is two groups, all past /64
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const zeros = Array.from({ length: Math.max(0, 8 - before.length - after.length) }, () => '0');
  return [...before, ...zeros, ...after].map((g) => (Number.parseInt(g, 16) || 0).toString(16));
}
