import ipaddr from 'ipaddr.js';

/**
 * IP addresses and CIDR blocks as a partner's configuration keeps them: what
 * the internet sees of the MSP (its outbound addresses, which customers'
 * firewalls allow, and the inbound ones it is reached on). Parsing and
 * containment are ipaddr.js's; what is accepted, and how it is written back,
 * is decided here and pinned by a table test (test/unit/network-address.test.ts).
 *
 * - IPv4 only in strict dotted decimal without leading zeros (`010.0.0.1`
 *   reads as octal to some tools and decimal to others, so it is refused,
 *   as are `0x7f.1` and other shorthand that `inet_aton` accepts).
 * - IPv6 in any RFC 4291 text form, written back in the RFC 5952 canonical
 *   form (lowercase, longest zero run compressed); zone ids are refused.
 * - A CIDR block must name its network address: `8.8.8.8/24` is refused with
 *   the network it probably meant (`8.8.8.0/24`) rather than silently
 *   widened or narrowed, since this list opens firewalls. A /32 (or /128) is
 *   the bare address, so `8.8.8.8/32` and `8.8.8.8` are one entry.
 * - Only publicly routable space: an address or block touching a
 *   special-purpose range (IANA's special-purpose registries: private,
 *   loopback, link-local, CGNAT, multicast, documentation, benchmarking,
 *   reserved, unique-local, NAT64, 6to4, Teredo …) is refused with the
 *   range's name, because nobody on the internet is ever seen from it. IPv6
 *   must lie within global unicast (2000::/3).
 */

export type ParsedNetwork = { ok: true; value: string; version: 4 | 6; prefix: number } | { ok: false; reason: string };

interface SpecialRange {
  network: string;
  prefix: number;
  name: string;
}

const range = (cidr: string, name: string): SpecialRange => {
  const [network = '', prefix = ''] = cidr.split('/');
  return { network, prefix: Number(prefix), name };
};

/** IANA IPv4 Special-Purpose Address Registry, the blocks never seen as a source on the internet. */
const specialIpv4: readonly SpecialRange[] = [
  range('0.0.0.0/8', '"this network" (RFC 791)'),
  range('10.0.0.0/8', 'private (RFC 1918)'),
  range('100.64.0.0/10', 'shared address space, carrier-grade NAT (RFC 6598)'),
  range('127.0.0.0/8', 'loopback (RFC 1122)'),
  range('169.254.0.0/16', 'link-local (RFC 3927)'),
  range('172.16.0.0/12', 'private (RFC 1918)'),
  range('192.0.0.0/24', 'IETF protocol assignments (RFC 6890)'),
  range('192.0.2.0/24', 'documentation, TEST-NET-1 (RFC 5737)'),
  range('192.88.99.0/24', 'deprecated 6to4 relay anycast (RFC 7526)'),
  range('192.168.0.0/16', 'private (RFC 1918)'),
  range('198.18.0.0/15', 'benchmarking (RFC 2544)'),
  range('198.51.100.0/24', 'documentation, TEST-NET-2 (RFC 5737)'),
  range('203.0.113.0/24', 'documentation, TEST-NET-3 (RFC 5737)'),
  range('224.0.0.0/4', 'multicast (RFC 5771)'),
  range('240.0.0.0/4', 'reserved, broadcast included (RFC 1112)'),
];

/** IANA IPv6 Special-Purpose Address Registry; named first so the reason is precise, then anything outside 2000::/3. */
const specialIpv6: readonly SpecialRange[] = [
  range('::/128', 'unspecified (RFC 4291)'),
  range('::1/128', 'loopback (RFC 4291)'),
  range('::ffff:0:0/96', 'IPv4-mapped (RFC 4291; write the IPv4 address instead)'),
  range('64:ff9b::/96', 'NAT64 well-known prefix (RFC 6052)'),
  range('64:ff9b:1::/48', 'local-use NAT64 (RFC 8215)'),
  range('100::/64', 'discard-only (RFC 6666)'),
  range('fc00::/7', 'unique local (RFC 4193)'),
  range('fe80::/10', 'link-local (RFC 4291)'),
  range('fec0::/10', 'deprecated site-local (RFC 3879)'),
  range('ff00::/8', 'multicast (RFC 4291)'),
  range('2001::/32', 'Teredo (RFC 4380)'),
  range('2001:2::/48', 'benchmarking (RFC 5180)'),
  range('2001:10::/28', 'deprecated ORCHID (RFC 4843)'),
  range('2001:20::/28', 'ORCHIDv2 (RFC 7343)'),
  range('2001:db8::/32', 'documentation (RFC 3849)'),
  range('2002::/16', '6to4 (RFC 3056)'),
  range('3fff::/20', 'documentation (RFC 9637)'),
];

const globalUnicast = range('2000::/3', 'global unicast');

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const strictIpv4 = new RegExp(`^${octet}(?:\\.${octet}){3}$`);
const ipv6Characters = /^[0-9a-f:.]+$/;
const prefixText = /^(?:0|[1-9]\d{0,2})$/;

/** The longest text accepted: a full IPv6 address with an embedded IPv4 and a prefix is 49 characters. */
export const maxNetworkLength = 64;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const parseAddress = (text: string): Address | string => {
  if (text.includes(':')) {
    if (text.includes('%')) return 'zone ids are not allowed';
    if (!ipv6Characters.test(text) || !ipaddr.IPv6.isValid(text)) return 'not an IPv6 address';
    return ipaddr.IPv6.parse(text);
  }
  if (!strictIpv4.test(text)) return 'not an IPv4 address in dotted decimal (four numbers 0–255, no leading zeros)';
  return ipaddr.IPv4.parse(text);
};

const canonical = (address: Address): string =>
  address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();

/** Two blocks overlap exactly when they agree on the bits of the shorter prefix. */
const overlaps = (address: Address, prefix: number, special: SpecialRange): boolean => {
  const other = ipaddr.parse(special.network);
  if (other.kind() !== address.kind()) return false;
  return address.match(other as never, Math.min(prefix, special.prefix));
};

const publicRule = (address: Address, prefix: number, written: string): string | null => {
  const ranges = address.kind() === 'ipv4' ? specialIpv4 : specialIpv6;
  const hit = ranges.find((special) => overlaps(address, prefix, special));
  if (hit) {
    const inside = prefix >= hit.prefix;
    return `${written} ${inside ? 'is in' : 'overlaps'} ${hit.network}/${hit.prefix}, ${hit.name}: only public addresses are allowed`;
  }
  if (address.kind() === 'ipv6' && (prefix < globalUnicast.prefix || !overlaps(address, prefix, globalUnicast))) {
    return `${written} is not IPv6 global unicast (2000::/3): only public addresses are allowed`;
  }
  return null;
};

/**
 * Parses one address or CIDR block, as a client wrote it, into its canonical
 * text, or says why it is refused (in words a person can act on).
 */
export const parseNetwork = (input: string): ParsedNetwork => {
  const text = input.trim().toLowerCase();
  if (text === '') return { ok: false, reason: 'must not be empty' };
  if (text.length > maxNetworkLength) return { ok: false, reason: `must be at most ${maxNetworkLength} characters` };
  const parts = text.split('/');
  if (parts.length > 2) return { ok: false, reason: 'not an address or a CIDR block' };
  const [addressText = '', prefixPart] = parts;
  const address = parseAddress(addressText);
  if (typeof address === 'string') return { ok: false, reason: address };
  const version = address.kind() === 'ipv4' ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixPart !== undefined) {
    if (!prefixText.test(prefixPart) || Number(prefixPart) > bits) return { ok: false, reason: `the prefix length must be 0–${bits}` };
    prefix = Number(prefixPart);
  }
  if (prefix < bits) {
    const network = version === 4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
    if (canonical(network) !== canonical(address)) {
      return { ok: false, reason: `host bits are set: the network is ${canonical(network)}/${prefix}` };
    }
  }
  const value = prefix === bits ? canonical(address) : `${canonical(address)}/${prefix}`;
  const refused = publicRule(address, prefix, value);
  if (refused) return { ok: false, reason: refused };
  return { ok: true, value, version, prefix };
};

/** Whether `text` is an IP literal at all (public or not), so a host field can tell an address from a name. */
export const looksLikeIpLiteral = (text: string): boolean => text.includes(':') || /^[\d./]+$/.test(text);

/** Whether a list entry is a single address (no prefix, or a full-length one). */
export const isSingleAddress = (parsed: Extract<ParsedNetwork, { ok: true }>): boolean =>
  parsed.prefix === (parsed.version === 4 ? 32 : 128);

/** At most this many entries in each of a configuration's address lists. */
export const maxNetworksPerList = 100;

/**
 * A whole list: each entry parsed, duplicates (after normalisation: `8.8.8.8`
 * and `8.8.8.8/32`, `2001:4860::1` and `2001:4860:0::1`) kept once in first-seen
 * order, and every refused entry reported with its index.
 */
export const parseNetworkList = (inputs: readonly string[]): { values: string[]; errors: { index: number; reason: string }[] } => {
  const values: string[] = [];
  const errors: { index: number; reason: string }[] = [];
  for (const [index, input] of inputs.entries()) {
    const parsed = parseNetwork(input);
    if (!parsed.ok) errors.push({ index, reason: parsed.reason });
    else if (!values.includes(parsed.value)) values.push(parsed.value);
  }
  return { values, errors };
};
