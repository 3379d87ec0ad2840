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

  it('unzip16: a stream row of n interleaved amps (n in eights) to n amp rows side by side, the columns past the last eight one by one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 30 }), fc.nat(), (groups, width, seed) => {
        const n = 8 * groups;
        const row = Uint16Array.from({ length: n * width }, (_, i) => (seed + 40503 * i) & 0xffff); // all different
        const arena = KernelArena.fresh({ amps: 0, workBytes: 0, pixels: row.length, fileBytes: 2 * row.length });
        arena.stream.set(row);
        arena.kernels.unzip16(arena.stream.byteOffset, n, width, arena.file.byteOffset);
        const unzipped = Array.from(new Uint16Array(arena.file.buffer, arena.file.byteOffset, row.length));
        const expected = Array.from({ length: n }, (_, a) => Array.from({ length: width }, (_, c) => row[c * n + a]!)).flat();
        expect(unzipped).to.deep.equal(expected);
      }),
      { seed: 8, numRuns: 100 },
    );
  });

  it('rows16: the same file words and sums whether each stream row is unzipped first or read in place', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 0, max: 5 }), fc.nat(), (groups, width, rows, seed) => {
        const n = 8 * groups;
        const height = rows + 1;
        const dataWidth = Math.max(1, width - 3);
        const stream = Uint16Array.from({ length: n * width * height }, (_, i) => (seed + 40503 * i) & 0xffff);
        const run = (unzip: boolean) => {
          const rowBytes = 2 * width;
          const work = 16 * n + 16 * n * height + 2 * n * width;
          const arena = KernelArena.fresh({ amps: n, workBytes: work, pixels: stream.length, fileBytes: n * height * rowBytes });
          arena.stream.set(stream);
          const amps = new Int32Array(arena.work.buffer, arena.work.byteOffset, 4 * n);
          for (let a = 0; a < n; a++) amps.set([arena.file.byteOffset + a * height * rowBytes, a % 4, Math.min(2, width - dataWidth), arena.sumsAt + 16 * a], 4 * a);
          const rowSums = arena.work.byteOffset + 16 * n;
          const unzipped = unzip ? rowSums + 16 * n * height : 0;
          arena.kernels.rows16(arena.stream.byteOffset, n, width, height, rows, dataWidth, amps.byteOffset, rowSums, 0, height, unzipped);
          const sums = Array.from(new Float64Array(arena.work.buffer, rowSums, 2 * n * height));
          return { file: Array.from(arena.file.subarray(0, n * height * rowBytes)), checksums: Array.from(arena.sums), sums };
        };
        expect(run(true)).to.deep.equal(run(false));
      }),
      { seed: 9, numRuns: 60 },
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

  it('noise16: level + scale * deviate per pixel in float32, truncated and saturated, eight at a time and the rest one by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.double({ min: -100, max: 70000, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (count, seed, baseLevel, baseScale) => {
          const arena = KernelArena.fresh({ amps: 0, workBytes: 10 * count + 16, pixels: count + 2, fileBytes: 0 });
          const { buffer, byteOffset } = arena.work;
          const levels = new Float32Array(buffer, byteOffset, count);
          const scales = new Float32Array(buffer, levels.byteOffset + levels.byteLength, count);
          const noise = new Int16Array(buffer, scales.byteOffset + scales.byteLength, count);
          for (let k = 0; k < count; k++) {
            levels[k] = baseLevel + 7 * k;
            scales[k] = baseScale * (1 + (k % 3));
            noise[k] = ((seed + 4099 * k) % 65536) - 32768;
          }
          arena.stream.fill(0xa5a5);
          arena.kernels.noise16(arena.stream.byteOffset + 2, count, levels.byteOffset, scales.byteOffset, noise.byteOffset);
          const expected = Array.from({ length: count }, (_, k) => {
            const v = Math.trunc(Math.fround(levels[k]! + Math.fround(scales[k]! * noise[k]!)));
            return Math.min(65535, Math.max(0, v));
          });
          expect(Array.from(arena.stream.subarray(1, count + 1))).to.deep.equal(expected);
          expect([arena.stream[0], arena.stream[count + 1]]).to.deep.equal([0xa5a5, 0xa5a5]);
        },
      ),
      { seed: 10, numRuns: 300 },
    );
  });

  it('permuted16: a row out of its window in units, unit u from unit (multiplier * u + rotation) & mask, a last part-unit as far as the row goes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8, 16),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 15 }).map((m) => 2 * m + 1),
        fc.integer({ min: 0, max: 31 }),
        (unit, count, multiplier, rotation) => {
          const mask = 31;
          const arena = KernelArena.fresh({ amps: 0, workBytes: 2 * 32 * unit, pixels: count + 2, fileBytes: 0 });
          const table = new Uint16Array(arena.work.buffer, arena.work.byteOffset, 32 * unit);
          table.set(Array.from(table, (_, i) => (i * 2654435761) >>> 16));
          arena.stream.fill(0xa5a5);
          arena.kernels.permuted16(arena.stream.byteOffset + 2, table.byteOffset, count, unit, multiplier, rotation, mask);
          const expected = Array.from({ length: count }, (_, k) => table[unit * ((multiplier * Math.floor(k / unit) + rotation) & mask) + (k % unit)]);
          expect(Array.from(arena.stream.subarray(1, count + 1))).to.deep.equal(expected);
          expect([arena.stream[0], arena.stream[count + 1]]).to.deep.equal([0xa5a5, 0xa5a5]);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('lit16: level + signal + sqrt(variance + signal) * deviate per pixel in float32, four at a time and the rest one by one, amps\' values from patterns', () => {
    const f = Math.fround;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom(4, 8, 16),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 0xffff }),
        (count, first, period, dark, seed) => {
          const arena = KernelArena.fresh({ amps: 0, workBytes: 4 * 64 + 2 * 64 + 4 * 6 * period, pixels: 64, fileBytes: 0 });
          const { buffer, byteOffset } = arena.work;
          const light = new Float32Array(buffer, byteOffset, 64);
          const deviates = new Int16Array(buffer, byteOffset + 4 * 64, 64);
          const patterns = new Float32Array(buffer, byteOffset + 4 * 64 + 2 * 64, 6 * period);
          light.set(Array.from(light, (_, k) => ((k * seed) % 97) * 700)); // to past saturation
          deviates.set(Array.from(deviates, (_, k) => ((k * 7919 + seed) % 40000) - 20000));
          const amp = (j: number): number => (j * 31 + seed) % period;
          patterns.set(Array.from(patterns, (_, i) => [amp(i % period) / 10, 80 * amp(i % period) - 200.5, 9 + amp(i % period)][Math.floor(i / (2 * period))]!));
          arena.stream.fill(0xa5a5);
          arena.kernels.lit16(arena.stream.byteOffset + 2, count, first, light.byteOffset + 4 * first, deviates.byteOffset + 2 * first, patterns.byteOffset, period, dark, 1 / 4096);
          const expected = Array.from({ length: count }, (_, i) => {
            const k = first + i;
            const j = k % period;
            const signal = f(f(light[k]! * patterns[j]!) + f(dark));
            const noise = f(f(Math.sqrt(f(patterns[j + 4 * period]! + signal))) * f(deviates[k]! * f(1 / 4096)));
            return Math.min(65535, Math.max(0, Math.trunc(f(f(patterns[j + 2 * period]! + signal) + noise))));
          });
          expect(Array.from(arena.stream.subarray(1, count + 1))).to.deep.equal(expected);
          expect([arena.stream[0], arena.stream[count + 1]]).to.deep.equal([0xa5a5, 0xa5a5]);
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});
