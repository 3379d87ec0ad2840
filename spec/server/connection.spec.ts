import { expect } from 'chai';
import { isLoopbackAddress } from '../../lib/server/connection.js';

// The Connection class itself is exercised over real sockets in command-server.spec.ts,
// backpressure.spec.ts, fuzz.spec.ts and load.spec.ts.
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
