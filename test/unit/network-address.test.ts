import { describe, expect, it } from 'vitest';
import { parseNetwork, parseNetworkList } from '#domain/partners/network-address';
import { parseSmarthostHost } from '#domain/partners/smarthost';

/**
 * The address rules of a partner's configuration, as a table: what is
 * accepted and how it is written back, and what is refused and why.
 */

describe('accepted addresses and blocks, in their canonical form', () => {
  it.each([
    ['8.8.8.8', '8.8.8.8'],
    [' 1.1.1.1 ', '1.1.1.1'],
    ['8.8.8.8/32', '8.8.8.8'],
    ['8.8.8.0/24', '8.8.8.0/24'],
    ['9.9.9.0/31', '9.9.9.0/31'],
    ['1.0.0.0/8', '1.0.0.0/8'],
    ['223.255.255.255', '223.255.255.255'],
    ['2001:4860:4860::8888', '2001:4860:4860::8888'],
    ['2001:4860:4860:0:0:0:0:8888', '2001:4860:4860::8888'],
    ['2001:4860:4860:0000:0000:0000:0000:8888', '2001:4860:4860::8888'],
    ['2606:4700:4700::1111/128', '2606:4700:4700::1111'],
    ['2A00:1450:4001::/48', '2a00:1450:4001::/48'],
    ['2a00:1450::1.2.3.4', '2a00:1450::102:304'],
    // RFC 5952: the longest run of zeros is compressed, the first of equal runs, and a lone zero field is not.
    ['2a00:0:0:1:0:0:0:1', '2a00:0:0:1::1'],
    ['2a00:0:0:1:1:0:0:1', '2a00::1:1:0:0:1'],
    ['2a00:1:1:1:1:1:0:1', '2a00:1:1:1:1:1:0:1'],
    ['2c0f:f248::/32', '2c0f:f248::/32'],
  ])('%j → %j', (input, expected) => {
    expect(parseNetwork(input)).toMatchObject({ ok: true, value: expected });
  });
});

describe('refused, with a reason', () => {
  it.each([
    // Not addresses at all, or not in the strict form.
    ['', 'empty'],
    ['   ', 'empty'],
    ['8.8.8', 'dotted decimal'],
    ['8.8.8.8.8', 'dotted decimal'],
    ['256.1.1.1', 'dotted decimal'],
    ['010.8.8.8', 'no leading zeros'],
    ['0x8.8.8.8', 'dotted decimal'],
    ['134744072', 'dotted decimal'],
    ['8.8.8.8/', 'prefix length'],
    ['8.8.8.8/33', 'prefix length'],
    ['8.8.8.0/024', 'prefix length'],
    ['8.8.8.0/-1', 'prefix length'],
    ['8.8.8.0/24/8', 'not an address'],
    ['example.com', 'dotted decimal'],
    ['2001:4860::8888::1', 'not an IPv6'],
    ['2001:4860:4860:0:0:0:0:0:8888', 'not an IPv6'],
    ['2001:4860:g::1', 'not an IPv6'],
    ['2001:4860::1/129', 'prefix length'],
    ['fe80::1%eth0', 'zone ids'],
    ['x'.repeat(65), 'at most 64'],
    // Host bits set: the network it probably meant is named.
    ['8.8.8.8/24', 'the network is 8.8.8.0/24'],
    ['2606:4700:4700::1111/48', 'the network is 2606:4700:4700::/48'],
    // IPv4 special-purpose ranges.
    ['0.0.0.0', '"this network"'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.0/24', 'private (RFC 1918)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.0/24', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['192.88.99.1', '6to4 relay'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    // Blocks that reach into special-purpose space, however they start.
    ['0.0.0.0/0', 'overlaps 0.0.0.0/8'],
    ['8.0.0.0/6', 'overlaps 10.0.0.0/8'],
    ['64.0.0.0/2', 'overlaps 100.64.0.0/10'],
    ['172.0.0.0/8', 'overlaps 172.16.0.0/12'],
    // IPv6 special-purpose ranges, and anything outside global unicast.
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['64:ff9b::8.8.8.8', 'NAT64'],
    ['100::1', 'discard-only'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fc00::/7', 'unique local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001::1', 'Teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2001:20::1', 'ORCHIDv2'],
    ['2001:db8::1', 'documentation (RFC 3849)'],
    ['2001:DB8:0:0:0:0:0:1', 'documentation (RFC 3849)'],
    ['3fff::1', 'documentation (RFC 9637)'],
    ['2002:808:808::1', '6to4'],
    ['4000::1', 'not IPv6 global unicast'],
    ['::/0', 'overlaps ::/128'],
    ['2000::/3', 'overlaps 2001::/32'],
  ])('%j: %s', (input, reason) => {
    const parsed = parseNetwork(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});

describe('a whole list', () => {
  it('normalises, keeps each entry once in first-seen order, and names refused entries by index', () => {
    const { values, errors } = parseNetworkList([
      '8.8.8.8',
      '2001:4860:4860:0:0:0:0:8888',
      '8.8.8.8/32',
      '10.0.0.1',
      '2001:4860:4860::8888',
      '1.1.1.0/24',
      'nonsense',
    ]);

    expect(values).toEqual(['8.8.8.8', '2001:4860:4860::8888', '1.1.1.0/24']);
    expect(errors.map((error) => error.index)).toEqual([3, 6]);
  });
});

describe('smarthost', () => {
  it.each([
    ['smtp.contoso.com', 'smtp.contoso.com'],
    ['SMTP.Contoso.COM.', 'smtp.contoso.com'],
    ['mail-relay-1.eu.contoso.com', 'mail-relay-1.eu.contoso.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['123.example.com', '123.example.com'],
    ['8.8.8.8', '8.8.8.8'],
    ['2001:4860:4860:0::8888', '2001:4860:4860::8888'],
    ['[2001:4860:4860::8888]', '2001:4860:4860::8888'],
    [`${'a'.repeat(63)}.example.com`, `${'a'.repeat(63)}.example.com`],
  ])('%j → %j', (input, expected) => {
    expect(parseSmarthostHost(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['mail', 'fully qualified'],
    ['smtp..contoso.com', 'not a host name label'],
    ['-smtp.contoso.com', 'not a host name label'],
    ['smtp-.contoso.com', 'not a host name label'],
    ['smtp_relay.contoso.com', 'not a host name label'],
    ['smtp.contoso.com:25', 'its own field'],
    ['[2001:4860::1]:25', 'its own field'],
    ['bücher.example', 'not a host name label'],
    [`${'a'.repeat(64)}.example.com`, 'not a host name label'],
    [`${'abcdefghi.'.repeat(26)}com`, 'at most 253'],
    ['1.2.3', 'dotted decimal'],
    ['example.123', 'never all digits'],
    ['mail.localhost', 'loopback'],
    ['10.0.0.25', 'private'],
    ['::1', 'loopback'],
    ['8.8.8.0/24', 'not a CIDR block'],
  ])('%j: %s', (input, reason) => {
    const parsed = parseSmarthostHost(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});
