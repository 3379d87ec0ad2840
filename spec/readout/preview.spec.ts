import { expect } from 'chai';
import { PNG } from 'pngjs';
import { fullRoi, presetGeometry, rawPixelCount, streamIndex } from '../../lib/readout/geometry.js';
import { encodePreview, makePreview, shrinkRoi, zscale } from '../../lib/readout/preview.js';

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

  it('shrinks the ROI to preview size, each amp\'s bias removed', () => {
    const g = presetGeometry('sta2k');
    const raw = new Uint16Array(rawPixelCount(g)).fill(1000);
    const image = shrinkRoi(raw, g, fullRoi(g), [1000], 64);
    expect([image.width, image.height]).to.deep.equal([64, 64]);
    expect(Math.max(...image.pixels)).to.equal(0);
    const roi = { ...fullRoi(g), lastCol: 1024 };
    expect(shrinkRoi(raw, g, roi, [], 64)).to.include({ width: 32, height: 64 });
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
