import { expect } from 'chai';
import { StageClock } from '../../lib/readout/timings.js';

describe('readout/timings', () => {
  it('sums each stage over its calls and passes results through', () => {
    const clock = new StageClock();
    const busy = (ms: number): number => {
      const end = performance.now() + ms;
      while (performance.now() < end);
      return ms;
    };
    expect(clock.time('binMs', () => busy(2))).to.equal(2);
    clock.time('binMs', () => busy(2));
    const timings = clock.done();
    expect(timings.binMs).to.be.at.least(4);
    expect(timings.encodeMs).to.equal(0);
    expect(timings.totalMs).to.be.at.least(timings.binMs);
  });

  it('counts the time of a stage that throws', () => {
    const clock = new StageClock();
    expect(() =>
      clock.time('encodeMs', () => {
        throw new Error('boom');
      }),
    ).to.throw('boom');
    expect(clock.done().encodeMs).to.be.at.least(0);
  });
});
