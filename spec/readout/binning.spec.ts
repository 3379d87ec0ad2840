import { expect } from 'chai';
import { binRect, copyRect } from '../../lib/readout/binning.js';

// 5 x 4 image, value = 10 * row + col
const IMG = Uint16Array.from({ length: 20 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5));
const WHOLE = { x: 0, y: 0, width: 5, height: 4 };

describe('readout/binning', () => {
  it('sums 2 x 2 blocks and drops the partial column', () => {
    const out = new Uint16Array(4);
    binRect(IMG, 5, WHOLE, 2, 2, out, 2, 0, 0);
    // (0+1+10+11) (2+3+12+13) / (20+21+30+31) (22+23+32+33)
    expect([...out]).to.deep.equal([22, 30, 102, 110]);
  });

  it('bins columns and rows independently', () => {
    const out = new Uint16Array(4 * 1);
    binRect(IMG, 5, { x: 1, y: 0, width: 4, height: 4 }, 1, 4, out, 4, 0, 0);
    expect([...out]).to.deep.equal([1 + 11 + 21 + 31, 2 + 12 + 22 + 32, 3 + 13 + 23 + 33, 4 + 14 + 24 + 34]);
    const row = new Uint16Array(1);
    binRect(IMG, 5, { x: 0, y: 3, width: 5, height: 1 }, 5, 1, row, 1, 0, 0);
    expect([...row]).to.deep.equal([30 + 31 + 32 + 33 + 34]);
  });

  it('crops a ROI into place in a larger output when not binned', () => {
    const out = new Uint16Array(3 * 3);
    binRect(IMG, 5, { x: 2, y: 1, width: 2, height: 2 }, 1, 1, out, 3, 1, 1);
    expect([...out]).to.deep.equal([0, 0, 0, 0, 12, 13, 0, 22, 23]);
  });

  it('saturates uint16 sums at 65535', () => {
    const bright = new Uint16Array(4).fill(40000);
    const out = new Uint16Array(1);
    binRect(bright, 2, { x: 0, y: 0, width: 2, height: 2 }, 2, 2, out, 1, 0, 0);
    expect(out[0]).to.equal(65535);
  });

  it('sums float32 without saturating, negatives included', () => {
    const img = Float32Array.from([40000, 40000, -1.5, 0.25]);
    const out = new Float32Array(2);
    binRect(img, 2, { x: 0, y: 0, width: 2, height: 2 }, 1, 2, out, 2, 0, 0);
    expect([...out]).to.deep.equal([39998.5, 40000.25]);
  });

  it('copies rects row by row', () => {
    const out = new Uint16Array(4);
    copyRect(IMG, 5, { x: 3, y: 2, width: 2, height: 2 }, out, 2, 0, 0);
    expect([...out]).to.deep.equal([23, 24, 33, 34]);
  });
});
