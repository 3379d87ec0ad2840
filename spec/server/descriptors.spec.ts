import { expect } from 'chai';
import { connectionsWithin, openFileLimit, RESERVED_DESCRIPTORS } from '../../lib/server/descriptors.js';

describe('server/descriptors', () => {
  it('reads the open-file limit of this process', function () {
    if (process.platform !== 'linux') this.skip();
    expect(openFileLimit()).to.be.a('number').and.above(0);
  });

  it('keeps the reserve free of connections', () => {
    expect(connectionsWithin(1024, 20_000)).to.equal(1024);
    expect(connectionsWithin(1024, 1024)).to.equal(1024 - RESERVED_DESCRIPTORS);
    expect(connectionsWithin(1024, 100)).to.equal(1);
    expect(connectionsWithin(1024, undefined)).to.equal(1024);
  });
});
