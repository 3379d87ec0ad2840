import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../errors.js';

/**
 * Which client addresses may connect (`--allow`): addresses and CIDR ranges, IPv4 or IPv6.
 * No entries means everyone who can reach the listening address.
 */
export class AccessList {
  private readonly list = new BlockList();
  private readonly open: boolean;

  constructor(entries: readonly string[] = []) {
    this.open = entries.length === 0;
    for (const entry of entries) this.add(entry.trim());
  }

  allows(address: string): boolean {
    if (this.open) return true;
    const plain = withoutIpv4Mapping(address);
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    return isIP(plain) !== 0 && this.list.check(plain, family);
  }

  private add(entry: string): void {
    const [address = '', prefix, extra] = entry.split('/');
    const version = isIP(address);
    // Digits only: Number('') is 0, and `10.0.0.0/` must not open the server to everyone.
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    const maxBits = version === 6 ? 128 : 32;
    if (version === 0 || extra !== undefined || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= maxBits))) {
      throw new ConfigError(`invalid --allow entry: ${entry} (expected an IP address or CIDR range)`);
    }
    const family = version === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) this.list.addAddress(address, family);
    else this.list.addSubnet(address, bits, family);
  }
}

/** `::ffff:10.1.2.3` (an IPv4 client of a dual-stack listener) is the IPv4 address `10.1.2.3`. */
export function withoutIpv4Mapping(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/** 127.0.0.0/8 and ::1, IPv4-mapped or not: a client on this machine. */
export function isLoopbackAddress(address: string): boolean {
  const plain = withoutIpv4Mapping(address);
  return plain === '::1' || plain.startsWith('127.');
}
