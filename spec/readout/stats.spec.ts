import { expect } from 'chai';
import { pooledStats, regionStats, statsFromSums, type AmpStats } from '../../lib/readout/stats.js';

describe('readout/stats', () => {
  it('computes mean and population standard deviation over a rect', () => {
    // 4 x 2 image; the rect takes columns 1..2 of both rows: 2, 4, 4, 6
    const img = Uint16Array.from([100, 2, 4, 100, 100, 4, 6, 100]);
    expect(regionStats(img, 4, { x: 1, y: 0, width: 2, height: 2 })).to.deep.equal({ mean: 4, stddev: Math.sqrt(2), pixels: 4 });
  });

  it('works on float32 images and empty rects', () => {
    expect(regionStats(Float32Array.from([-1, 1]), 2, { x: 0, y: 0, width: 2, height: 1 })).to.deep.equal({ mean: 0, stddev: 1, pixels: 2 });
    expect(regionStats(new Float32Array(4), 2, { x: 0, y: 0, width: 0, height: 2 })).to.deep.equal({ mean: 0, stddev: 0, pixels: 0 });
  });

  it('turns sums into statistics', () => {
    expect(statsFromSums({ count: 4, sum: 16, sumSquares: 72 })).to.deep.equal({ mean: 4, stddev: Math.sqrt(2), pixels: 4 });
  });

  it('pools several amps as if they were one set of pixels', () => {
    const amp = (mean: number, stddev: number, pixels: number): AmpStats => ({ amp: 1, mean, stddev, biasLevel: 0, biasNoise: 0, pixels });
    // {2, 4} and {6, 8, 10, 12}: all six have mean 7 and variance 35/3
    const pooled = pooledStats([amp(3, 1, 2), amp(9, Math.sqrt(5), 4)]);
    expect(pooled.mean).to.be.closeTo(7, 1e-12);
    expect(pooled.stddev).to.be.closeTo(Math.sqrt(35 / 3), 1e-12);
  });
});
