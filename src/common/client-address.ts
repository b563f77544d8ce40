import { BlockList, isIP } from 'node:net';

/** The client address when the TCP peer is unknown (its socket already closed). */
export const UNKNOWN_ADDRESS = 'unknown';

/** Resolves the address of the client behind a request, for per-address limits and logs. */
export interface ClientAddressResolver {
  /**
   * The client's address: the TCP peer's, unless the peer is a trusted proxy, in which case it is
   * the rightmost `X-Forwarded-For` entry that is not itself a trusted proxy (entries further left
   * were written by the client and prove nothing). A malformed entry stops the walk at the last
   * good address. IPv4-mapped IPv6 addresses are given as IPv4. {@link UNKNOWN_ADDRESS} without a peer.
   */
  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string;
}

/**
 * @param trustedProxies IP addresses and CIDR ranges (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`) whose
 *   `X-Forwarded-For` is believed (TRUSTED_PROXIES); validated by the configuration. Empty: the
 *   header is never read.
 */
export function createClientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const plain = normaliseAddress(address) ?? address;
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(plain, family);
    else trusted.addSubnet(plain, Number(prefix), family);
  }
  const isTrusted = (address: string) => trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

  return {
    resolve(peer, forwardedFor) {
      let address = peer === undefined ? null : normaliseAddress(peer);
      if (address === null) return UNKNOWN_ADDRESS;
      if (trustedProxies.length === 0 || forwardedFor === undefined) return address;
      // Several headers count as one list, in order.
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
      for (let i = hops.length - 1; i >= 0 && isTrusted(address); i--) {
        const hop = normaliseAddress(stripPort(hops[i]!.trim()));
        if (hop === null) break;
        address = hop;
      }
      return address;
    },
  };
}

/** `1.2.3.4:80` -> `1.2.3.4`, `[::1]:80` -> `::1` (some proxies write ports); anything else as is. */
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return v4WithPort ? v4WithPort[1]! : hop;
}

/** A valid IP address in its usual spelling (IPv4-mapped IPv6 as IPv4), or null. */
function normaliseAddress(address: string): string | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const plain = mapped ? mapped[1]! : address;
  const family = isIP(plain);
  if (family === 0) return null;
  return family === 6 ? plain.toLowerCase() : plain;
}

/**
 * The unit per-address limits count: the address itself for IPv4, its /64 network for IPv6 (one
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would bound nothing).
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without leading zeros (`2001:db8::1` -> 2001,db8,0,…,1). */
function expandIPv6(address: string): string[] {
  // A zone (`fe80::1%eth0`) names an interface, not a network.
  const [withoutZone = ''] = address.split('%');
  let text = withoutZone;
  // A trailing dotted IPv4 part (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) is two hextets.
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((hextet) => parseInt(hextet, 16).toString(16));
}
