import { expect } from 'chai';
import { KernelArena } from '../../lib/readout/kernels.js';
import { clippedStats } from '../../lib/readout/overscan.js';
import { detectorStreamIndex, makeGeometry, presetGeometry, rawHeight, rawPixelCount, rawWidth, ampRegions, streamIndex } from '../../lib/readout/geometry.js';
import {
  ampElectronics,
  normalQuantile,
  rowNoise,
  shutterOpen,
  simulateReadout,
  simulationTableBytes,
  DARK_CURRENT,
  FLAT_LEVEL,
  SKY_RATE,
  type SimulationParams,
} from '../../lib/readout/simulate.js';

// 4 amps of 64 x 32 with 2 prescan, 16 overscan columns and 4 overscan rows
const G = makeGeometry({ name: 'small', width: 128, height: 64, amps: 4, prescan: 2, overscanCols: 16, overscanRows: 4 });
const params = (p: Partial<SimulationParams> = {}): SimulationParams => ({ imageType: 'zero', exposureTime: 0, seed: 42, ...p });

/** Detector pixels of one amp's imaging area, read straight from the stream. */
function ampData(stream: Uint16Array, amp: number): number[] {
  const a = G.amps[amp];
  const values: number[] = [];
  for (let y = 0; y < G.ampHeight; y++) {
    for (let x = 0; x < G.ampWidth; x++) {
      values.push(stream[detectorStreamIndex(G, a.gridX * G.ampWidth + x, a.gridY * G.ampHeight + y)]);
    }
  }
  return values;
}

/** An amp's serial overscan, read straight from the stream, as a 1-row image. */
function overscan(stream: Uint16Array, amp: number): Uint16Array {
  const a = G.amps[amp];
  const { serialOverscan: r } = ampRegions(G, a);
  const values: number[] = [];
  for (let y = 0; y < rawHeight(G); y++) for (let x = r.x; x < r.x + r.width; x++) values.push(stream[streamIndex(G, a, x, y)]);
  return Uint16Array.from(values);
}

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

describe('readout/simulate', () => {
  it('produces the whole interleaved stream, reproducibly for a seed', () => {
    const a = simulateReadout(G, params({ imageType: 'object', exposureTime: 5 }));
    const b = simulateReadout(G, params({ imageType: 'object', exposureTime: 5 }));
    const c = simulateReadout(G, params({ imageType: 'object', exposureTime: 5, seed: 43 }));
    expect(a.length).to.equal(rawPixelCount(G));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).to.equal(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).to.equal(false);
  });

  it('gives every amp its own bias level and read noise', () => {
    const stream = simulateReadout(G, params());
    for (const amp of G.amps) {
      const { bias, readNoise } = ampElectronics(amp.index);
      const os = overscan(stream, amp.index);
      const stats = clippedStats(os, os.length, { x: 0, y: 0, width: os.length, height: 1 });
      expect(stats.mean, `amp ${amp.index} bias`).to.be.closeTo(bias, 0.5);
      expect(stats.stddev, `amp ${amp.index} noise`).to.be.closeTo(readNoise, 0.2 * readNoise);
    }
    const biases = Array.from({ length: 16 }, (_, i) => ampElectronics(i).bias);
    expect(new Set(biases).size).to.equal(16);
    expect(Math.min(...biases)).to.be.at.least(950);
    expect(Math.max(...biases)).to.be.at.most(1050);
  });

  it('keeps the shutter closed for zero and dark frames', () => {
    expect(shutterOpen(params({ imageType: 'zero' }))).to.equal(false);
    expect(shutterOpen(params({ imageType: 'dark' }))).to.equal(false);
    expect(shutterOpen(params({ imageType: 'object' }))).to.equal(true);
    expect(shutterOpen(params({ imageType: 'object', shutter: false }))).to.equal(false);
    const zero = simulateReadout(G, params({ imageType: 'zero', exposureTime: 100 }));
    expect(mean(ampData(zero, 0))).to.be.closeTo(ampElectronics(0).bias, 0.5);
  });

  it('adds dark current times exposure time in the imaging area only', () => {
    const dark = simulateReadout(G, params({ imageType: 'dark', exposureTime: 100 }));
    expect(mean(ampData(dark, 1)) - ampElectronics(1).bias).to.be.closeTo(DARK_CURRENT * 100, 0.5);
    const os = overscan(dark, 1);
    expect(mean([...os])).to.be.closeTo(ampElectronics(1).bias, 0.5);
  });

  it('illuminates flats with a vignetted flat field', () => {
    const flat = simulateReadout(G, params({ imageType: 'flat', exposureTime: 1 }));
    const level = mean(ampData(flat, 2)) - ampElectronics(2).bias;
    expect(level).to.be.within(0.9 * FLAT_LEVEL, 1.02 * FLAT_LEVEL);
    // brighter in the middle of the detector than at its corner, by a few per cent
    const at = (x: number, y: number): number => flat[detectorStreamIndex(G, x, y)];
    const centre = mean([at(63, 31), at(64, 32), at(63, 32), at(64, 31)]);
    const corner = mean([at(0, 0), at(1, 0), at(0, 1), at(1, 1)]);
    expect(centre / corner).to.be.within(1.04, 1.15);
  });

  it('lights every detector row and column as the flat-field model says, whichever way its amp reads', () => {
    const flat = simulateReadout(G, params({ imageType: 'flat', exposureTime: 1 }));
    const vignette = (i: number, n: number): number => 1 - 0.06 * ((2 * (i + 0.5)) / n - 1) ** 2;
    const ampOf = (x: number, y: number) => G.amps.find((a) => a.gridX === Math.floor(x / G.ampWidth) && a.gridY === Math.floor(y / G.ampHeight))!;
    // Per detector row and per detector column: the mean of (pixel - bias - dark) / (response x
    // vignetting across), against FLAT_LEVEL x vignetting along; a mirrored amp would be off by
    // a step at its edge (rows) or a whole flat level (columns).
    const light = (x: number, y: number): number => {
      const { bias } = ampElectronics(ampOf(x, y).index);
      return flat[detectorStreamIndex(G, x, y)]! - bias - DARK_CURRENT;
    };
    for (let y = 0; y < G.height; y++) {
      const row = mean(Array.from({ length: G.width }, (_, x) => light(x, y) / (ampElectronics(ampOf(x, y).index).response * vignette(x, G.width))));
      expect(row, `row ${y}`).to.be.closeTo(FLAT_LEVEL * vignette(y, G.height), 60);
    }
    for (let x = 0; x < G.width; x++) {
      const column = mean(Array.from({ length: G.height }, (_, y) => light(x, y) / (ampElectronics(ampOf(x, y).index).response * vignette(y, G.height))));
      expect(column, `column ${x}`).to.be.closeTo(FLAT_LEVEL * vignette(x, G.width), 90);
    }
  });

  it('puts sky and stars in object frames, nothing with the shutter closed', () => {
    const object = simulateReadout(G, params({ imageType: 'object', exposureTime: 10 }));
    const sky = SKY_RATE * 10;
    const data = ampData(object, 0).concat(ampData(object, 1), ampData(object, 2), ampData(object, 3));
    expect(Math.max(...data)).to.be.above(ampElectronics(3).bias + sky + 300);
    const test = simulateReadout(G, params({ imageType: 'object', exposureTime: 10, shutter: false }));
    expect(mean(ampData(test, 0)) - ampElectronics(0).bias).to.be.closeTo(DARK_CURRENT * 10, 0.5);
  });

  it('adds cosmic rays', () => {
    const dark = simulateReadout(G, params({ imageType: 'dark', exposureTime: 2000 }));
    const hits = G.amps.flatMap((a) => ampData(dark, a.index).filter((v) => v > ampElectronics(a.index).bias + 100 + 250));
    expect(hits.length).to.be.above(0);
  });

  it('writes into a supplied arena, overwriting stale pixels, and reports its rows', () => {
    const needs = { amps: G.amps.length, workBytes: simulationTableBytes(G), pixels: rawPixelCount(G), fileBytes: 0 };
    const arena = KernelArena.fresh(needs);
    arena.stream.fill(0xa5a5);
    const rows: number[] = [];
    const stream = simulateReadout(G, params(), (row) => rows.push(row), arena);
    expect(stream).to.equal(arena.stream);
    expect(Array.from(stream)).to.deep.equal(Array.from(simulateReadout(G, params())));
    expect(rows).to.deep.equal(Array.from({ length: rawHeight(G) + 1 }, (_, i) => i));
    expect(rawWidth(G)).to.equal(82);
    expect(() => simulateReadout(G, params(), undefined, KernelArena.fresh({ ...needs, pixels: 3 }))).to.throw(RangeError);
    expect(() => simulateReadout(G, params(), undefined, KernelArena.fresh({ ...needs, workBytes: 8 }))).to.throw(RangeError);
  });

  it('draws noise from normal quantiles', () => {
    expect(normalQuantile(0.5)).to.be.closeTo(0, 1e-9);
    expect(normalQuantile(0.975)).to.be.closeTo(1.959964, 1e-6);
    expect(normalQuantile(0.001)).to.be.closeTo(-3.090232, 1e-6);
  });

  it('starts no two rows of a frame at the same entry of the noise table, each at a whole stream column, a seed picking them', () => {
    const { offsets, multipliers, rotations, mask, unit } = rowNoise(2064, 16, 547, 7);
    expect(new Set(offsets).size).to.equal(2064);
    expect(offsets.every((offset) => offset % 16 === 0)).to.equal(true);
    expect(Math.min(...offsets)).to.be.at.least(0);
    expect(Math.max(...offsets)).to.be.below(1 << 20);
    expect({ mask, unit }).to.deep.equal({ mask: 1023, unit: 16 });
    expect(multipliers.every((m) => m % 2 === 1 && m <= mask)).to.equal(true);
    expect(rotations.every((r) => r >= 0 && r <= mask)).to.equal(true);
    expect(rowNoise(2064, 16, 547, 7)).to.deep.equal({ offsets, multipliers, rotations, mask, unit });
    expect(Array.from(rowNoise(2064, 16, 547, 8).offsets)).to.not.deep.equal(Array.from(offsets));
  });

  it('gives rows whose windows of the noise table overlap different orders, for every preset', () => {
    for (const [rows, n, columns] of [[2064, 16, 547], [2048, 1, 2084], [2672, 16, 2680]]) {
      const { offsets, multipliers, mask, unit } = rowNoise(rows!, n!, columns!, 7);
      const window = unit * (mask + 1);
      const alike: string[] = [];
      let overlapping = 0;
      for (let p = 0; p < offsets.length; p++) {
        for (let q = p + 1; q < offsets.length; q++) {
          if (Math.abs(offsets[p]! - offsets[q]!) >= window) continue;
          overlapping++;
          if (multipliers[p] === multipliers[q]) alike.push(`rows ${p} and ${q}`);
        }
      }
      expect(overlapping, `${n} amps`).to.be.above(0);
      expect(alike, `${n} amps`).to.deep.equal([]);
    }
  });

  it('reads no row\'s noise as another row\'s, shifted: no 12 pixels in a row of an amp recur in another', () => {
    const g = presetGeometry('itl4k');
    const stream = simulateReadout(g, { imageType: 'zero', exposureTime: 0, seed: 11 });
    const [n, width, rows, run] = [g.amps.length, rawWidth(g), 800, 12];
    const seen = new Map<number, number>();
    let recurring = 0;
    for (let p = 0; p < rows; p++) {
      for (let s = 0; s + run <= width; s++) {
        let key = 0;
        for (let k = 0; k < run; k++) key = (key * 257 + stream[(p * width + s + k) * n]! - 900) % 2 ** 44;
        const row = seen.get(key);
        if (row !== undefined && row !== p) recurring++;
        seen.set(key, p);
      }
    }
    expect(recurring).to.be.below(3); // a chance match of twelve pixels is possible, a copied row gives hundreds
  });

  it('copies bias rows from its table exactly as noise16 makes them', () => {
    // A dark frame's data rows go through noise16; with a dark current too small for float32 to
    // see, they must come out as a zero frame's, which are copies.
    const zero = simulateReadout(G, params());
    const dark = simulateReadout(G, params({ imageType: 'dark', exposureTime: 1e-9 }));
    expect(Buffer.from(dark.buffer, dark.byteOffset, dark.byteLength).equals(Buffer.from(zero.buffer, zero.byteOffset, zero.byteLength))).to.equal(true);
  });

  it('makes white gaussian read noise: neighbours along a row and down a column uncorrelated', () => {
    const one = makeGeometry({ name: 'one', width: 512, height: 512, amps: 1, prescan: 0, overscanCols: 0, overscanRows: 0 });
    const stream = simulateReadout(one, { imageType: 'zero', exposureTime: 0, seed: 5 });
    const values = Float64Array.from(stream, (v) => v - ampElectronics(0).bias);
    const { sd, excessKurtosis } = moments(values);
    expect(sd).to.be.closeTo(ampElectronics(0).readNoise, 0.03);
    expect(excessKurtosis).to.be.closeTo(0, 0.05);
    expect(correlation(values.subarray(0, -1), values.subarray(1)), 'along a row').to.be.closeTo(0, 0.01);
    expect(correlation(values.subarray(0, -512), values.subarray(512)), 'down a column').to.be.closeTo(0, 0.01);
  });
});

function moments(values: Float64Array): { sd: number; excessKurtosis: number } {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const m2 = values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length;
  const m4 = values.reduce((s, v) => s + (v - m) ** 4, 0) / values.length;
  return { sd: Math.sqrt(m2), excessKurtosis: m4 / m2 ** 2 - 3 };
}

function correlation(a: Float64Array, b: Float64Array): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
