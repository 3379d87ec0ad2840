import { expect } from 'chai';
import { roundedTimings, StageClock } from '../../lib/readout/timings.js';

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

describe('roundedTimings', () => {
  it('rounds every stage to 0.1 ms', () => {
    const timings = { simulateMs: 30.04, deinterleaveMs: 22.06, overscanMs: 5, binMs: 0.049, statsMs: 13.25, encodeMs: 9.999, totalMs: 79.4321 };
    expect(roundedTimings(timings)).to.deep.equal({ simulateMs: 30, deinterleaveMs: 22.1, overscanMs: 5, binMs: 0, statsMs: 13.3, encodeMs: 10, totalMs: 79.4 });
  });
});
