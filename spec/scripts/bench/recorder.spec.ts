import { expect } from 'chai';
import { LatencyRecorder, percentile } from '../../../scripts/bench/recorder.js';

describe('bench recorder', () => {
  describe('percentile', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    it('is the nearest-rank value', () => {
      expect(percentile(sorted, 50)).to.equal(5);
      expect(percentile(sorted, 51)).to.equal(6);
      expect(percentile(sorted, 99)).to.equal(10);
      expect(percentile(sorted, 90)).to.equal(9);
    });

    it('gives the smallest at 0 and the largest at 100', () => {
      expect(percentile(sorted, 0)).to.equal(1);
      expect(percentile(sorted, 100)).to.equal(10);
    });

    it('is NaN with no values, and refuses p outside 0..100', () => {
      expect(percentile([], 50)).to.be.NaN;
      expect(() => percentile(sorted, 101)).to.throw(RangeError);
      expect(() => percentile(sorted, Number.NaN)).to.throw(RangeError);
    });

    it('picks p99 out of the top percent of a large sample', () => {
      const values = Array.from({ length: 1000 }, (_, i) => i + 1);
      expect(percentile(values, 99)).to.equal(990);
    });
  });

  describe('LatencyRecorder', () => {
    it('summarises nanosecond samples in milliseconds, in any recording order', () => {
      const recorder = new LatencyRecorder();
      for (const ms of [3, 1, 2, 4]) recorder.record(BigInt(ms * 1e6));
      expect(recorder.summary()).to.deep.equal({ count: 4, p50Ms: 2, p99Ms: 4, maxMs: 4, meanMs: 2.5 });
    });

    it('keeps every sample past its initial capacity', () => {
      const recorder = new LatencyRecorder();
      for (let i = 1; i <= 5000; i++) recorder.record(i * 1e6);
      const summary = recorder.summary();
      expect(summary.count).to.equal(5000);
      expect(summary.maxMs).to.equal(5000);
      expect(summary.p50Ms).to.equal(2500);
    });

    it('has no percentiles without samples', () => {
      const summary = new LatencyRecorder().summary();
      expect(summary.count).to.equal(0);
      expect(summary.p99Ms).to.be.NaN;
      expect(summary.meanMs).to.be.NaN;
    });
  });
});
