import { expect } from 'chai';
import { ReadoutError } from '../../lib/errors.js';
import { deinterleave } from '../../lib/readout/deinterleave.js';
import { ampGrid, makeGeometry, rawHeight, rawWidth, type DetectorGeometry } from '../../lib/readout/geometry.js';

/** Amps of 3 x 2 imaging pixels with 1 prescan, 1 overscan column and `overscanRows`. */
function tiny(amps: number, overscanRows = 1): DetectorGeometry {
  const [x, y] = ampGrid(amps);
  return makeGeometry({ name: `tiny${amps}`, width: 3 * x, height: 2 * y, amps, prescan: 1, overscanCols: 1, overscanRows });
}

/** The controller's stream: pixel k of amp a is base(a) + k; pixel k of every amp before pixel k + 1. */
function stream(amps: number, pixelsPerAmp: number, base = (a: number) => 100 * (a + 1)): Uint16Array {
  const out: number[] = [];
  for (let k = 0; k < pixelsPerAmp; k++) for (let a = 0; a < amps; a++) out.push(base(a) + k);
  return Uint16Array.from(out);
}

function rows(img: Uint16Array, width: number): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < img.length / width; y++) out.push([...img.subarray(y * width, (y + 1) * width)]);
  return out;
}

describe('readout/deinterleave', () => {
  it('1 amp: the stream is the image, row by row', () => {
    const g = tiny(1, 0);
    const [img] = deinterleave(stream(1, 10), g);
    expect(rows(img, 5)).to.deep.equal([
      [100, 101, 102, 103, 104],
      [105, 106, 107, 108, 109],
    ]);
  });

  it('2 amps: splits alternate pixels and mirrors the right amp', () => {
    const g = tiny(2, 0);
    const raw = Uint16Array.from([10, 50, 11, 51, 12, 52, 13, 53, 14, 54, 15, 55, 16, 56, 17, 57, 18, 58, 19, 59]);
    const [left, right] = deinterleave(raw, g);
    expect(rows(left, 5)).to.deep.equal([
      [10, 11, 12, 13, 14],
      [15, 16, 17, 18, 19],
    ]);
    expect(rows(right, 5)).to.deep.equal([
      [54, 53, 52, 51, 50],
      [59, 58, 57, 56, 55],
    ]);
  });

  it('4 amps: flips in x, in y and in both, overscan rows included', () => {
    const g = tiny(4);
    const [a, b, c, d] = deinterleave(stream(4, 15), g).map((img) => rows(img, 5));
    expect(a).to.deep.equal([
      [100, 101, 102, 103, 104],
      [105, 106, 107, 108, 109],
      [110, 111, 112, 113, 114],
    ]);
    expect(b).to.deep.equal([
      [204, 203, 202, 201, 200],
      [209, 208, 207, 206, 205],
      [214, 213, 212, 211, 210],
    ]);
    expect(c).to.deep.equal([
      [310, 311, 312, 313, 314],
      [305, 306, 307, 308, 309],
      [300, 301, 302, 303, 304],
    ]);
    expect(d).to.deep.equal([
      [414, 413, 412, 411, 410],
      [409, 408, 407, 406, 405],
      [404, 403, 402, 401, 400],
    ]);
  });

  for (const amps of [8, 16]) {
    it(`${amps} amps: every amp's first pixel lands at its output corner, the rest in readout order`, () => {
      const g = tiny(amps);
      const width = rawWidth(g);
      const height = rawHeight(g);
      const images = deinterleave(stream(amps, width * height), g);
      for (const amp of g.amps) {
        const img = images[amp.index];
        // pixel (x, y) in detector orientation is the k-th the amp read, counting from its corner
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const s = amp.flipX ? width - 1 - x : x;
            const p = amp.flipY ? height - 1 - y : y;
            expect(img[y * width + x], `amp ${amp.index} (${x},${y})`).to.equal(100 * (amp.index + 1) + p * width + s);
          }
        }
        const corner = (amp.flipY ? height - 1 : 0) * width + (amp.flipX ? width - 1 : 0);
        expect(img[corner]).to.equal(100 * (amp.index + 1));
      }
    });
  }

  it('writes into a supplied array', () => {
    const g = tiny(2, 0);
    const out = new Uint16Array(20).fill(9999);
    const images = deinterleave(stream(2, 10), g, undefined, out);
    expect(images[0].buffer).to.equal(out.buffer);
    expect([...out]).not.to.include(9999);
  });

  it('reports progress per row and stops when the step throws', () => {
    const g = tiny(4);
    const seen: number[] = [];
    deinterleave(stream(4, 15), g, (row) => seen.push(row));
    expect(seen).to.deep.equal([0, 1, 2, 3]);
    expect(() =>
      deinterleave(stream(4, 15), g, (row) => {
        if (row === 1) throw new Error('stop');
      }),
    ).to.throw('stop');
  });

  it('rejects a stream of the wrong length', () => {
    expect(() => deinterleave(new Uint16Array(7), tiny(2))).to.throw(ReadoutError, 'raw readout has 7 pixels, expected 30');
  });
});
