/**
 * The common readout, a whole-detector unbinned MEF file, in one pass over the raw stream: each
 * amp's pixels are de-interleaved, flipped into detector orientation, bias subtracted when asked,
 * and encoded big-endian (BZERO-shifted uint16, or float32) straight into the file buffer, with
 * the data statistics and the checksum sums gathered on the way. Only the serial overscan (a few
 * percent of the stream) is read before that pass, for the bias levels.
 *
 * The per-stage functions (deinterleave, images, overscan, stats, encodeFits) stay the reference:
 * the specs hold this path equal to them byte for byte. For float sums to agree, each row is summed
 * as subtractRow sums it (detector order, two accumulators) and rows are added in detector order.
 */
import { LITTLE_ENDIAN } from './byte-order.js';
import { noHalfSums, type HalfSums } from './checksum.js';
import { extensionCards, mefPrimaryCards } from './cards.js';
import { checkStreamLength } from './deinterleave.js';
import type { StepFn } from './control.js';
import { headerText, padded, paddedDataBytes, writeHeader, type HeaderCard, type ImageShape } from './fits.js';
import { ampRegions, fullRoi, rawHeight, rawWidth, type Amplifier, type DetectorGeometry, type Rect, type Roi } from './geometry.js';
import { ampStats, type ImageContext } from './images.js';
import { biasLevels, clippedStats, type BiasSubtraction } from './overscan.js';
import { planAmp, type AmpPlan } from './sections.js';
import { statsFromSums, type AmpStats } from './stats.js';

/** Whether fusedMef can make this readout: MEF, the whole detector, no binning. */
export function canFuse(g: DetectorGeometry, roi: Roi, format: string): boolean {
  const whole = fullRoi(g);
  return LITTLE_ENDIAN && format === 'mef' && (Object.keys(whole) as (keyof Roi)[]).every((key) => roi[key] === whole[key]);
}

export interface FusedOutput {
  /** The file at the start of the buffer `allocate` gave. */
  fits: Uint8Array<ArrayBuffer>;
  stats: AmpStats[];
}

/** The MEF file of a whole-detector unbinned readout of `stream`; `step` is called once per stream row. */
export function fusedMef(
  ctx: ImageContext,
  stream: Uint16Array,
  snapshot: readonly HeaderCard[],
  mode: BiasSubtraction,
  step: StepFn,
  allocate: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes),
): FusedOutput {
  const { g, clock } = ctx;
  checkStreamLength(stream, g);
  const plans = g.amps.map((amp) => planAmp(g, fullRoi(g), amp, mode !== 'none') as AmpPlan);
  const overscan = clock.time('overscanMs', () => readOverscan(ctx, stream, mode));
  const primary = headerText(mefPrimaryCards(snapshot, g, 1, 1, mode), undefined, g.amps.length);
  const shape = (plan: AmpPlan): ImageShape => ({ width: plan.width, height: plan.height, bitpix: mode === 'none' ? 16 : -32 });
  // Headers are as long whatever the statistics: lay the file out with stand-ins.
  const headerBytes = plans.map((plan) => padded(headerText(extensionCards(g, plan, ampStats(plan.amp.index, NO_STATS, NO_STATS), mode, snapshot), shape(plan), undefined).length));
  let offset = padded(primary.length);
  const dataAt = plans.map((plan, a) => {
    const at = offset + headerBytes[a];
    offset = at + paddedDataBytes(shape(plan));
    return at;
  });
  const buffer = allocate(offset);
  const file = Buffer.from(buffer, 0, offset);
  const amps = clock.time('encodeMs', () => encodePixels(g, stream, overscan.levels, dataAt, buffer, step));
  return clock.time('encodeMs', () => {
    writeHeader(file, 0, primary, noHalfSums());
    const stats = plans.map((plan, a) => {
      const { checksum, data } = amps[a];
      const dataBytes = plan.width * plan.height * (mode === 'none' ? 2 : 4);
      const unit = file.subarray(dataAt[a], dataAt[a] + dataBytes);
      if (mode === 'none') unit.swap16();
      else unit.swap32();
      file.fill(0, dataAt[a] + dataBytes, dataAt[a] + paddedDataBytes(shape(plan)));
      const stats = ampStats(a, data, overscan.bias[a]);
      const text = headerText(extensionCards(g, plan, stats, mode, snapshot), shape(plan), undefined);
      if (padded(text.length) !== headerBytes[a]) throw new Error('fusedMef: a header changed size with its statistics');
      writeHeader(file, dataAt[a] - headerBytes[a], text, checksum);
      return stats;
    });
    return { fits: new Uint8Array(buffer, 0, offset), stats };
  });
}

const NO_STATS = { mean: 0, stddev: 0, pixels: 0 };

/** Each amp's serial overscan statistics (BIASMEAN, BIASRMS) and, when subtracting, bias level per raw row. */
function readOverscan(ctx: ImageContext, stream: Uint16Array, mode: BiasSubtraction) {
  const { g } = ctx;
  const height = rawHeight(g);
  const images = gatherOverscan(ctx, stream);
  const whole: Rect = { x: 0, y: 0, width: g.overscanCols, height };
  return {
    bias: images.map((img) => clippedStats(img, g.overscanCols, whole)),
    levels: mode === 'none' ? undefined : images.map((img) => biasLevels(img, g.overscanCols, height, whole, mode)),
  };
}

/** Each amp's serial overscan columns as an image of their own (detector orientation), one stream row at a time. */
function gatherOverscan(ctx: ImageContext, stream: Uint16Array): Uint16Array[] {
  const { g, scratch } = ctx;
  const width = g.overscanCols;
  const height = rawHeight(g);
  const all = scratch.uint16('overscan', width * height * g.amps.length);
  const images = g.amps.map((amp) => all.subarray(amp.index * width * height, (amp.index + 1) * width * height));
  const columns = g.amps.map((amp) => ampRegions(g, amp).serialOverscan.x);
  for (let p = 0; p < height; p++) {
    for (const amp of g.amps) {
      const y = amp.flipY ? height - 1 - p : p;
      const { from, stride } = streamRow(g, amp, p, columns[amp.index]);
      const img = images[amp.index];
      for (let k = 0, i = from, o = y * width; k < width; k++, i += stride, o++) img[o] = stream[i];
    }
  }
  return images;
}

/** Where pixel x of an amp's raw row (detector orientation) read as stream row p is, and the step to pixel x + 1. */
function streamRow(g: DetectorGeometry, amp: Amplifier, p: number, x: number): { from: number; stride: number } {
  const width = rawWidth(g);
  const n = g.amps.length;
  const s = amp.flipX ? width - 1 - x : x;
  return { from: (p * width + s) * n + amp.index, stride: amp.flipX ? -n : n };
}

/** What the pass gathers per amp. */
interface AmpTotals {
  checksum: HalfSums;
  data: { mean: number; stddev: number; pixels: number };
}

/** Sums one kernel call returns: of the values (statistics) and of the 16-bit halves written (checksum). */
interface RowSums {
  sum: number;
  squares: number;
  high: number;
  low: number;
}

/** One amp's constants and running sums in the pass. */
interface AmpPass {
  flipX: boolean;
  flipY: boolean;
  /** Its data's first column and row in its raw image (detector orientation). */
  dataX: number;
  dataY: number;
  /** Where its data unit starts, in elements of the typed array it is written through. */
  at: number;
  checksum: HalfSums;
  /** Per raw row y: the data pixels' sum and sum of squares. */
  rowSums: Float64Array;
  rowSquares: Float64Array;
}

/**
 * The pass: every stream row, every amp's part of it written into its data unit (at dataAt[a],
 * bytes) in this machine's byte order, each unit swapped to big-endian at the end (natively).
 * Untrimmed uint16 rows hold prescan, data and overscan; trimmed float32 rows the data only.
 */
function encodePixels(
  g: DetectorGeometry,
  stream: Uint16Array,
  levels: Float32Array[] | undefined,
  dataAt: number[],
  buffer: ArrayBuffer,
  step: StepFn,
): AmpTotals[] {
  const width = rawWidth(g);
  const height = rawHeight(g);
  const n = g.amps.length;
  const words16 = new Uint16Array(buffer, 0, buffer.byteLength >> 1);
  const floats = new Float32Array(buffer, 0, buffer.byteLength >> 2);
  const words32 = new Uint32Array(buffer, 0, buffer.byteLength >> 2);
  const passes: AmpPass[] = g.amps.map((amp) => {
    const { data } = ampRegions(g, amp);
    const at = levels === undefined ? dataAt[amp.index] >> 1 : dataAt[amp.index] >> 2;
    return { flipX: amp.flipX, flipY: amp.flipY, dataX: data.x, dataY: data.y, at, checksum: noHalfSums(), rowSums: new Float64Array(height), rowSquares: new Float64Array(height) };
  });
  const row: RowSums = { sum: 0, squares: 0, high: 0, low: 0 };
  const right = g.ampWidth; // the data's width: the right part starts dataX + right
  for (let p = 0; p < height; p++) {
    step(p);
    const imaging = p < g.ampHeight; // every amp reads its data rows first
    for (let a = 0; a < n; a++) {
      const amp = passes[a];
      const y = amp.flipY ? height - 1 - p : p;
      const stride = amp.flipX ? -n : n;
      const from = (p * width + (amp.flipX ? width - 1 : 0)) * n + a;
      const x = amp.dataX;
      let high = 0;
      let low = 0;
      if (levels === undefined) {
        const at = amp.at + y * width;
        encodeUint16(stream, from, stride, x, words16, at, row);
        high += row.high;
        low += row.low;
        encodeUint16(stream, from + (x + right) * stride, stride, width - x - right, words16, at + x + right, row);
        high += row.high;
        low += row.low;
        encodeUint16(stream, from + x * stride, stride, right, words16, at + x, row);
      } else if (imaging) {
        const at = amp.at + (y - amp.dataY) * g.ampWidth;
        encodeFloat32(stream, from + x * stride, stride, g.ampWidth, levels[a][y], floats, words32, at, row);
      } else {
        continue;
      }
      amp.checksum.high += high + row.high;
      amp.checksum.low += low + row.low;
      if (imaging) {
        amp.rowSums[y] = row.sum;
        amp.rowSquares[y] = row.squares;
      }
    }
  }
  step(height);
  return passes.map((amp) => ({ checksum: amp.checksum, data: dataStats(g, amp) }));
}

/** The data rows' sums added in detector order, as subtractBias and regionStats add them. */
function dataStats(g: DetectorGeometry, amp: AmpPass) {
  const totals = { count: g.ampWidth * g.ampHeight, sum: 0, sumSquares: 0 };
  for (let y = amp.dataY; y < amp.dataY + g.ampHeight; y++) {
    totals.sum += amp.rowSums[y];
    totals.sumSquares += amp.rowSquares[y];
  }
  return statsFromSums(totals);
}

// The kernels are module-level consts: V8 inlines them and need not re-check a mutable binding.

/**
 * `count` pixels src[from + k * stride] to out[at + k] with the top bit flipped (BZERO 32768), in
 * this machine's byte order. An even index of `out` is the high half of a file word (data units
 * start on 2880-byte blocks). Four pixels per iteration, two accumulators for the squares: V8
 * checks each typed array on every iteration, and the float additions would wait on one another.
 */
const encodeUint16 = (src: Uint16Array, from: number, stride: number, count: number, out: Uint16Array, at: number, row: RowSums): void => {
  let even = 0;
  let odd = 0;
  let sum = 0;
  let squares0 = 0;
  let squares1 = 0;
  let i = from;
  let o = at;
  let k = 0;
  for (; k + 3 < count; k += 4, i += 4 * stride, o += 4) {
    const a = src[i];
    const b = src[i + stride];
    const c = src[i + 2 * stride];
    const d = src[i + 3 * stride];
    out[o] = a ^ 0x8000;
    out[o + 1] = b ^ 0x8000;
    out[o + 2] = c ^ 0x8000;
    out[o + 3] = d ^ 0x8000;
    even += (a ^ 0x8000) + (c ^ 0x8000);
    odd += (b ^ 0x8000) + (d ^ 0x8000);
    sum += a + b + c + d;
    squares0 += a * a + c * c;
    squares1 += b * b + d * d;
  }
  for (; k < count; k++, i += stride, o++) {
    const a = src[i];
    out[o] = a ^ 0x8000;
    if (k % 2 === 0) even += a ^ 0x8000;
    else odd += a ^ 0x8000;
    sum += a;
    squares0 += a * a;
  }
  row.sum = sum;
  row.squares = squares0 + squares1;
  row.high = at % 2 === 0 ? even : odd;
  row.low = at % 2 === 0 ? odd : even;
};

/**
 * `count` pixels src[from + k * stride] - level to out[at + k] as float32 in this machine's byte
 * order (the caller swaps the whole data unit); `words` views the same memory, so a float's bits
 * are the file word it becomes. Sums as subtractRow does.
 */
const encodeFloat32 = (
  src: Uint16Array,
  from: number,
  stride: number,
  count: number,
  level: number,
  out: Float32Array,
  words: Uint32Array,
  at: number,
  row: RowSums,
): void => {
  let sum0 = 0;
  let sum1 = 0;
  let squares0 = 0;
  let squares1 = 0;
  let high = 0;
  let low = 0;
  let i = from;
  let o = at;
  let k = 0;
  for (; k + 1 < count; k += 2, i += 2 * stride, o += 2) {
    const a = src[i] - level;
    const b = src[i + stride] - level;
    out[o] = a;
    out[o + 1] = b;
    const wa = words[o];
    const wb = words[o + 1];
    high += (wa >>> 16) + (wb >>> 16);
    low += (wa & 0xffff) + (wb & 0xffff);
    sum0 += a;
    sum1 += b;
    squares0 += a * a;
    squares1 += b * b;
  }
  if (k < count) {
    const a = src[i] - level;
    out[o] = a;
    const wa = words[o];
    high += wa >>> 16;
    low += wa & 0xffff;
    sum0 += a;
    squares0 += a * a;
  }
  row.sum = sum0 + sum1;
  row.squares = squares0 + squares1;
  row.high = high;
  row.low = low;
};
