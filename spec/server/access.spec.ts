import { expect } from 'chai';
import { ConfigError } from '../../lib/errors.js';
import { AccessList, isLoopbackAddress } from '../../lib/server/access.js';

describe('AccessList', () => {
  it('allows everyone when empty', () => {
    const open = new AccessList();
    for (const address of ['127.0.0.1', '10.1.2.3', '::1', '2001:db8::1']) expect(open.allows(address)).to.equal(true);
  });

  it('matches IPv4 addresses and CIDR ranges', () => {
    const list = new AccessList(['10.0.0.0/8', '192.168.1.7', ' 172.16.0.0/12 ']);
    expect(list.allows('10.255.0.1')).to.equal(true);
    expect(list.allows('11.0.0.1')).to.equal(false);
    expect(list.allows('192.168.1.7')).to.equal(true);
    expect(list.allows('192.168.1.8')).to.equal(false);
    expect(list.allows('172.31.255.255')).to.equal(true);
    expect(list.allows('172.32.0.0')).to.equal(false);
  });

  it('matches IPv6 addresses and CIDR ranges', () => {
    const list = new AccessList(['2001:db8::/32', '::1']);
    expect(list.allows('2001:db8:1::5')).to.equal(true);
    expect(list.allows('2001:db9::1')).to.equal(false);
    expect(list.allows('::1')).to.equal(true);
    expect(list.allows('::2')).to.equal(false);
  });

  it('matches an IPv4-mapped IPv6 client address against IPv4 entries', () => {
    const list = new AccessList(['10.0.0.0/8']);
    expect(list.allows('::ffff:10.2.3.4')).to.equal(true);
    expect(list.allows('::ffff:11.2.3.4')).to.equal(false);
  });

  it('treats /0 as everyone of that family, and /32 as one address', () => {
    expect(new AccessList(['0.0.0.0/0']).allows('8.8.8.8')).to.equal(true);
    const one = new AccessList(['10.0.0.5/32']);
    expect(one.allows('10.0.0.5')).to.equal(true);
    expect(one.allows('10.0.0.6')).to.equal(false);
  });

  it('refuses an address it cannot read', () => {
    const list = new AccessList(['10.0.0.0/8']);
    expect(list.allows('')).to.equal(false);
    expect(list.allows('not an address')).to.equal(false);
  });

  for (const entry of ['', 'localhost', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/1.5', '::1/129', '10.0.0.0/ 8']) {
    it(`rejects the entry ${JSON.stringify(entry)} as a configuration error`, () => {
      expect(() => new AccessList([entry])).to.throw(ConfigError, 'invalid --allow entry');
    });
  }
});

describe('isLoopbackAddress', () => {
  it('knows the loopback addresses, IPv4, IPv6 and IPv4-mapped', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address), address).to.equal(true);
    }
  });

  it('treats everything else as remote', () => {
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '::2', '', 'unknown', '1270.0.0.1', '::ffff:1.127.0.0']) {
      expect(isLoopbackAddress(address), address).to.equal(false);
    }
  });
});
