import { describe, expect, it } from 'vitest';
import { UNKNOWN_ADDRESS, addressBucket, createClientAddressResolver } from '../../src/common/client-address.js';

describe('client address', () => {
  const direct = createClientAddressResolver([]);
  const proxied = createClientAddressResolver(['10.0.0.1', '10.1.0.0/16', 'fd00::/8']);

  it('is the TCP peer without trusted proxies, whatever X-Forwarded-For says', () => {
    expect(direct.resolve('192.0.2.1', '198.51.100.7')).toBe('192.0.2.1');
    expect(direct.resolve('::ffff:192.0.2.1', undefined)).toBe('192.0.2.1');
    expect(direct.resolve('2001:DB8::1', undefined)).toBe('2001:db8::1');
    expect(direct.resolve(undefined, undefined)).toBe(UNKNOWN_ADDRESS);
  });

  it('is the rightmost untrusted X-Forwarded-For entry behind trusted proxies', () => {
    expect(proxied.resolve('10.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    // The client wrote the left part; the proxy appended the real peer.
    expect(proxied.resolve('10.0.0.1', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    // Chains of trusted proxies are walked through.
    expect(proxied.resolve('10.0.0.1', '198.51.100.7, 10.1.2.3')).toBe('198.51.100.7');
    expect(proxied.resolve('::ffff:10.0.0.1', ['198.51.100.7', '10.1.2.3'])).toBe('198.51.100.7');
    expect(proxied.resolve('fd12::1', '2001:db8::5')).toBe('2001:db8::5');
    // Ports some proxies write.
    expect(proxied.resolve('10.0.0.1', '198.51.100.7:4711')).toBe('198.51.100.7');
    expect(proxied.resolve('10.0.0.1', '[2001:db8::5]:4711')).toBe('2001:db8::5');
  });

  it('ignores X-Forwarded-For from an untrusted peer, and stops at a malformed entry', () => {
    expect(proxied.resolve('192.0.2.1', '198.51.100.7')).toBe('192.0.2.1');
    expect(proxied.resolve('10.0.0.1', 'not-an-ip')).toBe('10.0.0.1');
    expect(proxied.resolve('10.0.0.1', 'unknown, 10.1.0.9')).toBe('10.1.0.9');
    expect(proxied.resolve('10.0.0.1', 'A'.repeat(10_000))).toBe('10.0.0.1');
    expect(proxied.resolve('10.0.0.1', '')).toBe('10.0.0.1');
  });

  it('counts IPv6 by /64 and IPv4 by address', () => {
    expect(addressBucket('192.0.2.1')).toBe('192.0.2.1');
    expect(addressBucket('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(addressBucket(UNKNOWN_ADDRESS)).toBe(UNKNOWN_ADDRESS);
  });
});
