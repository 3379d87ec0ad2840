import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { fullRoi, presetGeometry, rawPixelCount, streamIndex } from '../../lib/readout/geometry.js';
import { encodePreview, makePreview, shrinkRoi, zscale } from '../../lib/readout/preview.js';
import { astropyPython, readWithAstropy } from '../support/external-readers.js';
import { requireOrSkip } from '../support/requirements.js';

/** Normal deviates from a seeded generator (Box-Muller over a 32-bit LCG). */
function gaussian(count: number, seed: number): number[] {
  let state = seed;
  const uniform = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 1) / 2 ** 32;
  return Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

describe('readout preview', () => {
  it('zscale: the median ± the fitted slope, outliers rejected, within the data', () => {
    const ramp = Array.from({ length: 1000 }, (_, i) => 1000 + i);
    const { low, high } = zscale(ramp, 1);
    expect(low).to.be.closeTo(1000, 2);
    expect(high).to.be.closeTo(1999, 2);
    // A few hot pixels do not stretch the range.
    const flat = Array.from({ length: 1000 }, (_, i) => 500 + (i % 10) + (i % 97 === 0 ? 60000 : 0));
    const range = zscale(flat);
    expect(range.low).to.be.at.least(500);
    expect(range.high).to.be.below(600);
  });

  it('zscale gives astropy\'s ZScaleInterval limits', async function () {
    requireOrSkip(this, astropyPython(), 'astropy');
    const noise = gaussian(65536, 7);
    const cases = [
      Array.from({ length: 1000 }, (_, i) => 1000 + i),
      noise.map((v, i) => 970 + 3 * v + (i % 4099 === 0 ? 40000 : 0)), // sampled every 65th value; hot pixels
      noise.slice(0, 5000).map((v, i) => 200 + i / 50 + 10 * v), // a gradient
      noise.slice(0, 2000).map((v, i) => (i % 3 ? 100 + v : 60000)), // a third saturated
      [5, 1, 3],
      new Array<number>(500).fill(42),
      noise.slice(0, 3000).map((v, i) => (i % 7 ? 50 + v : i % 2 ? NaN : Infinity)), // astropy leaves out what is not finite (null in the JSON)
    ];
    const dir = mkdtempSync(join(tmpdir(), 'azcam-zscale-'));
    try {
      writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
      const expected = await readWithAstropy<[number, number][]>(
        join(dir, 'cases.json'),
        `
        from astropy.visualization import ZScaleInterval
        result = [list(ZScaleInterval().get_limits(np.array([np.nan if v is None else v for v in c], dtype=float))) for c in json.load(open(path))]`,
      );
      cases.forEach((values, i) => {
        const { low, high } = zscale(values);
        const [astropyLow, astropyHigh] = expected[i]!;
        expect(low, `case ${i} low`).to.be.closeTo(astropyLow, 1e-6 * Math.max(1, Math.abs(astropyLow)));
        expect(high, `case ${i} high`).to.be.closeTo(astropyHigh, 1e-6 * Math.max(1, Math.abs(astropyHigh)));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shrinks the ROI to preview size, each amp\'s bias removed', () => {
    const g = presetGeometry('sta2k');
    const raw = new Uint16Array(rawPixelCount(g)).fill(1000);
    const image = shrinkRoi(raw, g, fullRoi(g), [1000], 64);
    expect([image.width, image.height]).to.deep.equal([64, 64]);
    expect(Math.max(...image.pixels)).to.equal(0);
    const roi = { ...fullRoi(g), lastCol: 1024 };
    expect(shrinkRoi(raw, g, roi, [], 64)).to.include({ width: 32, height: 64 });
  });

  it('stretches linearly, rounding half up and clamping what lies beyond the range', () => {
    const pixels = Float32Array.from([-1e6, -0.5, 0, 0.5, 1.5, 254.5, 255, 300, 1e9, Number.NaN]);
    const { png } = encodePreview({ width: pixels.length, height: 1, pixels }, 0, 255);
    const grey = PNG.sync.read(Buffer.from(png)).data.filter((_, i) => i % 4 === 0); // RGBA as decoded
    expect([...grey]).to.deep.equal([0, 0, 0, 1, 2, 255, 255, 255, 255, 0]);
  });

  it('encodes a greyscale PNG with the detector\'s bottom row at the bottom', () => {
    const pixels = new Float32Array(4 * 2);
    pixels.fill(100, 0, 4); // row 0: the bottom
    const { png, width, height } = encodePreview({ width: 4, height: 2, pixels }, 0, 100);
    const decoded = PNG.sync.read(Buffer.from(png));
    expect([decoded.width, decoded.height, width, height]).to.deep.equal([4, 2, 4, 2]);
    expect(decoded.data[0]).to.equal(0); // top-left: row 1, black
    expect(decoded.data[4 * 4]).to.equal(255); // bottom-left: row 0, white
  });

  it('makes a preview of a whole 16-amp frame', () => {
    const g = presetGeometry('itl4k');
    const raw = new Uint16Array(rawPixelCount(g));
    const amp = g.amps[5]!;
    raw[streamIndex(g, amp, 100, 100)] = 1; // anything: the picture just has to come out
    const preview = makePreview(raw, g, fullRoi(g), []);
    expect([preview.width, preview.height]).to.deep.equal([256, 256]);
    expect(PNG.sync.read(Buffer.from(preview.png)).width).to.equal(256);
  });
});
