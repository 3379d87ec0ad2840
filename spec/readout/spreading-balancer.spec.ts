import { expect } from 'chai';
import { spreadingBalancer } from '../../lib/readout/spreading-balancer.js';

const threads = (...usage: number[]) => usage.map((currentUsage, id) => ({ id, currentUsage }));

describe('spreadingBalancer', () => {
  const balance = spreadingBalancer(2, 3);

  it('gives a readout to an idle thread first', () => {
    expect(balance(undefined, threads(2, 0))?.id).to.equal(1);
    expect(balance(undefined, threads(0))?.id).to.equal(0);
  });

  it('gives it to no thread while fewer than all are running and none is idle: a thread is started for it', () => {
    expect(balance(undefined, threads(1))).to.equal(null);
    expect(balance(undefined, [])).to.equal(null);
  });

  it('then to the least busy thread with a free slot, and to none when every slot is taken', () => {
    expect(balance(undefined, threads(2, 1))?.id).to.equal(1);
    expect(balance(undefined, threads(3, 2))?.id).to.equal(1);
    expect(balance(undefined, threads(3, 3))).to.equal(null);
  });
});
