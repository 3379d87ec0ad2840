import { expect } from 'chai';
import fc from 'fast-check';
import { addBytes, noHalfSums } from '../../lib/readout/checksum.js';
import { KernelArena, SUM_SLOTS } from '../../lib/readout/kernels.js';
import { subtractBias } from '../../lib/readout/overscan.js';

/** What gather16 must do, one pixel at a time: a stream of `pixels`, read from `first` by `stride` pixels. */
function model(stream: Uint16Array, first: number, stride: number, count: number) {
  const values = Array.from({ length: count }, (_, k) => stream[first + k * stride]);
  const bytes = new Uint8Array(2 * count);
  values.forEach((v, k) => new DataView(bytes.buffer).setUint16(2 * k, v ^ 0x8000));
  return { values, bytes, sum: values.reduce((s, v) => s + v, 0), squares: values.reduce((s, v) => s + v * v, 0) };
}

describe('readout/kernels', () => {
  it('lays out sums, stream and file in one memory, and refuses a readout that does not fit', () => {
    const needs = { amps: 3, workBytes: 1000, pixels: 100, fileBytes: 2880 };
    const arena = new KernelArena(KernelArena.bytesFor(needs));
    const layout = arena.layout(needs);
    expect(layout.sums).to.have.length(3 * SUM_SLOTS);
    expect(layout.results.byteOffset).to.equal(layout.sumsAt + 3 * SUM_SLOTS * 8);
    expect(new Set([layout.sums.buffer, layout.work.buffer, layout.stream.buffer, layout.file.buffer]).size).to.equal(1);
    expect(layout.work.byteOffset).to.be.at.least(layout.results.byteOffset + layout.results.byteLength);
    expect(layout.stream.byteOffset).to.be.at.least(layout.work.byteOffset + 1000);
    expect(layout.file.byteOffset).to.be.at.least(layout.stream.byteOffset + 200);
    expect(layout.file.byteOffset % 64).to.equal(0);
    expect(() => arena.layout({ ...needs, fileBytes: arena.bytes })).to.throw(RangeError);
  });

  it('gather16: strided pixels to big-endian BZERO words, checksum halves added to the sums, statistics stored when asked', () => {
    fc.assert(
      fc.property(
        fc.uint16Array({ minLength: 400, maxLength: 400 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (pixels, step, backwards, count, wordOffset, stats) => {
          const arena = KernelArena.fresh({ amps: 1, workBytes: 0, pixels: pixels.length, fileBytes: 256 });
          arena.stream.set(pixels);
          arena.sums.set([5n, 6n]);
          const results = arena.results.subarray(0, 2).fill(-1);
          const stride = backwards ? -step : step;
          const first = backwards ? pixels.length - 1 : 0;
          const dst = arena.file.byteOffset + 2 * wordOffset;
          arena.kernels.gather16(arena.stream.byteOffset + 2 * first, 2 * stride, count, dst, arena.sumsAt, stats ? arena.resultsAt : 0);
          const expected = model(pixels, first, stride, count);
          const written = arena.file.subarray(2 * wordOffset, 2 * (wordOffset + count));
          expect(Buffer.from(written).equals(Buffer.from(expected.bytes))).to.equal(true);
          // The file's words from the start of the (4-byte aligned) file: the written halves land as they would there.
          const words = new Uint8Array(4 * Math.ceil((wordOffset + count) / 2));
          words.set(expected.bytes, 2 * wordOffset);
          const halves = addBytes(words, noHalfSums());
          const [high, low] = Array.from(arena.sums, Number);
          expect({ high, low }).to.deep.equal({ high: 5 + halves.high, low: 6 + halves.low });
          expect(Array.from(results)).to.deep.equal(stats ? [expected.sum, expected.squares] : [-1, -1]);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('pick16: rows of strided pixels copied as they are, rows stepping either way', () => {
    fc.assert(
      fc.property(
        fc.uint16Array({ minLength: 400, maxLength: 400 }),
        fc.integer({ min: -4, max: 4 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (pixels, stride, count, rows, upwards) => {
          const arena = KernelArena.fresh({ amps: 0, workBytes: 0, pixels: pixels.length, fileBytes: 256 });
          arena.stream.set(pixels);
          const rowStep = 40; // pixels between source rows
          const first = 250 + (stride < 0 ? 50 : 0);
          const lastRow = Math.max(0, rows - 1) * count;
          const dst = arena.file.byteOffset + (upwards ? 2 * lastRow : 0);
          arena.kernels.pick16(arena.stream.byteOffset + 2 * first, 2 * stride, count, dst, rows, -2 * rowStep, upwards ? -2 * count : 2 * count);
          const picked = Array.from(new Uint16Array(arena.file.buffer, arena.file.byteOffset, rows * count));
          const expected = Array.from({ length: rows }, (_, r) => Array.from({ length: count }, (_, k) => pixels[first - r * rowStep + k * stride]!));
          expect(picked).to.deep.equal((upwards ? expected.reverse() : expected).flat());
        },
      ),
      { seed: 6, numRuns: 200 },
    );
  });

  it('clip16: the number, sum and sum of squares of the pixels within [lo, hi]', () => {
    fc.assert(
      fc.property(fc.uint16Array({ maxLength: 100 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (pixels, lo, hi) => {
        const arena = KernelArena.fresh({ amps: 0, workBytes: 0, pixels: pixels.length, fileBytes: 0 });
        arena.stream.set(pixels);
        arena.kernels.clip16(arena.stream.byteOffset, pixels.length, lo, hi, arena.resultsAt);
        const kept = Array.from(pixels).filter((v) => v >= lo && v <= hi);
        const [count, sum, squares] = arena.results;
        expect({ count, sum, squares }).to.deep.equal({ count: kept.length, sum: kept.reduce((t, v) => t + v, 0), squares: kept.reduce((t, v) => t + v * v, 0) });
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('subtract32: strided pixels minus a level to big-endian float32, with checksum halves and the sums subtractBias gives', () => {
    fc.assert(
      fc.property(
        fc.uint16Array({ minLength: 200, maxLength: 200 }),
        fc.integer({ min: -4, max: 4 }).filter((stride) => stride !== 0),
        fc.integer({ min: 0, max: 40 }),
        fc.float({ min: 0, max: 65535, noNaN: true }),
        (pixels, stride, count, level) => {
          const arena = KernelArena.fresh({ amps: 1, workBytes: 0, pixels: pixels.length, fileBytes: 256 });
          arena.stream.set(pixels);
          arena.sums.set([5n, 6n]);
          const first = stride < 0 ? pixels.length - 1 : 0;
          arena.kernels.subtract32(arena.stream.byteOffset + 2 * first, 2 * stride, count, level, arena.file.byteOffset, arena.sumsAt, arena.resultsAt);
          const row = Uint16Array.from({ length: count }, (_, k) => pixels[first + k * stride]);
          const expected = new Float32Array(count);
          const sums = subtractBias(row, count, { x: 0, y: 0, width: count, height: 1 }, Float32Array.of(level), expected, count, 0, 0);
          const bytes = new Uint8Array(4 * count);
          expected.forEach((v, k) => new DataView(bytes.buffer).setFloat32(4 * k, v));
          expect(Buffer.from(arena.file.subarray(0, 4 * count)).equals(Buffer.from(bytes))).to.equal(true);
          const halves = addBytes(bytes, noHalfSums());
          expect(Array.from(arena.sums.subarray(0, 2), Number)).to.deep.equal([5 + halves.high, 6 + halves.low]);
          expect(Array.from(arena.results.subarray(0, 2))).to.deep.equal([sums.sum, sums.sumSquares]);
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });

  it('lit16: a draw per two pixels, fresh from the first pixel of every call, through the normal table', () => {
    const xorshift = (x: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      return x ^ (x << 5);
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.double({ min: 0, max: 70000, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (count, stride, seed, rowLight, dark) => {
          const arena = KernelArena.fresh({ amps: 0, workBytes: 4 * 4096 + 4 * 20, pixels: 64, fileBytes: 0 });
          const normals = new Float32Array(arena.work.buffer, arena.work.byteOffset, 4096);
          normals.set(Array.from(normals, (_, i) => (i - 2048) / 600));
          const light = new Float32Array(arena.work.buffer, normals.byteOffset + normals.byteLength, 20);
          light.set(Array.from(light, (_, k) => 0.5 + k / 40));
          const [level, variance] = [1000.5, 16];
          const first = 1;
          const state = arena.kernels.lit16(arena.stream.byteOffset + 2 * first, 2 * stride, count, light.byteOffset, normals.byteOffset, rowLight, dark, level, variance, seed);
          let expectedState = seed;
          const expected = Array.from({ length: count }, (_, k) => {
            if (k % 2 === 0) expectedState = xorshift(expectedState);
            const field = k % 2 === 0 ? expectedState >>> 20 : (expectedState >>> 8) & 0xfff;
            const signal = light[k]! * rowLight + dark;
            return Math.trunc(Math.min(65535, level + signal + Math.sqrt(variance + signal) * normals[field]!));
          });
          expect(Array.from({ length: count }, (_, k) => arena.stream[first + k * stride])).to.deep.equal(expected);
          expect(state).to.equal(expectedState);
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});
