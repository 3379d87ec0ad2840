import { expect } from 'chai';
import { biasLevels, clippedStats, subtractBias } from '../../lib/readout/overscan.js';

// A 6 x 3 raw amp image: 4 data columns, then 2 overscan columns.
const WIDTH = 6;
const IMG = Uint16Array.from([
  110, 120, 130, 140, /**/ 10, 12,
  210, 220, 230, 240, /**/ 20, 20,
  310, 320, 330, 340, /**/ 31, 33,
]);
const OVERSCAN = { x: 4, y: 0, width: 2, height: 3 };

describe('readout/overscan', () => {
  it("'row' mode: each row's level is the mean of its overscan pixels", () => {
    expect([...biasLevels(IMG, WIDTH, 3, OVERSCAN, 'row')]).to.deep.equal([11, 20, 32]);
  });

  it("'amp' mode: one level, the mean of all overscan pixels", () => {
    expect([...biasLevels(IMG, WIDTH, 3, OVERSCAN, 'amp')]).to.deep.equal([21, 21, 21]);
  });

  it('rejects outliers (a cosmic ray in the overscan) beyond 3 sigma', () => {
    const row = Uint16Array.from([1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1002, 998, 9000]);
    const stats = clippedStats(row, row.length, { x: 0, y: 0, width: row.length, height: 1 });
    expect(stats.mean).to.equal(1000);
    expect(stats.stddev).to.be.closeTo(Math.sqrt(8 / 13), 1e-9);
  });

  it('keeps every pixel when they agree (zero spread)', () => {
    const flat = new Uint16Array(8).fill(500);
    expect(clippedStats(flat, 8, { x: 0, y: 0, width: 8, height: 1 })).to.deep.equal({ mean: 500, stddev: 0 });
  });

  it('subtracts each row its level, exactly, and sums what it wrote', () => {
    const levels = biasLevels(IMG, WIDTH, 3, OVERSCAN, 'row');
    const out = new Float32Array(4 * 3);
    const sums = subtractBias(IMG, WIDTH, { x: 0, y: 0, width: 4, height: 3 }, levels, out, 4, 0, 0);
    expect([...out]).to.deep.equal([99, 109, 119, 129, 190, 200, 210, 220, 278, 288, 298, 308]);
    expect(sums.count).to.equal(12);
    expect(sums.sum).to.equal(2448);
    expect(sums.sumSquares).to.equal([...out].reduce((s, v) => s + v * v, 0));
  });

  it('places a subtracted rect at an offset in a wider image', () => {
    const out = new Float32Array(5 * 3).fill(-1);
    subtractBias(IMG, WIDTH, { x: 1, y: 1, width: 2, height: 2 }, Float32Array.from([0, 20, 32]), out, 5, 3, 0);
    expect([...out]).to.deep.equal([-1, -1, -1, 200, 210, -1, -1, -1, 288, 298, -1, -1, -1, -1, -1]);
  });
});
