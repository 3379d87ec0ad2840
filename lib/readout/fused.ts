/**
 * The common readout, a whole-detector unbinned MEF file, in one pass over the raw stream: each
 * amp's pixels are de-interleaved, flipped into detector orientation, bias subtracted when asked,
 * and encoded big-endian (BZERO-shifted uint16, or float32) straight into the file, with the data
 * statistics and the checksum sums gathered on the way. Only the serial overscan (a few percent of
 * the stream) is read before that pass, for the bias levels. The stream and the file are in a
 * kernel arena (kernels.ts), and the passes are its kernels' (rows16 for uint16, subtract32 for float32).
 *
 * The per-stage functions (deinterleave, images, overscan, stats, encodeFits) stay the reference:
 * the specs hold this path equal to them byte for byte. For float sums to agree, each row is summed
 * as subtractRow sums it (detector order, two accumulators) and rows are added in detector order.
 */
import { noHalfSums, type HalfSums } from './checksum.js';
import { extensionCards, mefPrimaryCards } from './cards.js';
import { checkStreamLength } from './deinterleave.js';
import type { StepFn } from './control.js';
import { headerText, padded, paddedDataBytes, writeHeader, type HeaderCard, type ImageShape } from './fits.js';
import { ampRegions, fullRoi, rawHeight, rawWidth, type Amplifier, type DetectorGeometry, type Rect, type Roi } from './geometry.js';
import { ampStats, type ImageContext } from './images.js';
import { ALIGN, roundUp, SUM_SLOTS, type ArenaLayout } from './kernels.js';
import { biasLevels, clippedFromSums, type BiasSubtraction, type ClippedStats, type RangeSums } from './overscan.js';
import { planAmp, type AmpPlan } from './sections.js';
import { statsFromSums, type AmpStats } from './stats.js';

/** Whether fusedMef can make this readout: MEF, the whole detector, no binning. */
export function canFuse(g: DetectorGeometry, roi: Roi, format: string): boolean {
  const whole = fullRoi(g);
  return format === 'mef' && (Object.keys(whole) as (keyof Roi)[]).every((key) => roi[key] === whole[key]);
}

export interface FusedOutput {
  /** The file: arena.file. */
  fits: Uint8Array;
  stats: AmpStats[];
}

/** Where each part of a fused readout's file goes; headers are as long whatever the statistics, so this comes first. */
export interface FusedLayout {
  mode: BiasSubtraction;
  plans: AmpPlan[];
  primary: string;
  /** Per amp: its header's bytes, and where its data unit starts. */
  headerBytes: number[];
  dataAt: number[];
  /** The whole file. */
  bytes: number;
}

export function fusedLayout(g: DetectorGeometry, snapshot: readonly HeaderCard[], mode: BiasSubtraction): FusedLayout {
  const plans = g.amps.map((amp) => planAmp(g, fullRoi(g), amp, mode !== 'none') as AmpPlan);
  const primary = headerText(mefPrimaryCards(snapshot, g, 1, 1, mode), undefined, g.amps.length);
  const headerBytes = plans.map((plan) => padded(headerText(extensionCards(g, plan, ampStats(plan.amp.index, NO_STATS, NO_STATS), mode, snapshot), unitShape(plan, mode), undefined).length));
  let offset = padded(primary.length);
  const dataAt = plans.map((plan, a) => {
    const at = offset + headerBytes[a];
    offset = at + paddedDataBytes(unitShape(plan, mode));
    return at;
  });
  return { mode, plans, primary, headerBytes, dataAt, bytes: offset };
}

function unitShape(plan: AmpPlan, mode: BiasSubtraction): ImageShape {
  return { width: plan.width, height: plan.height, bitpix: mode === 'none' ? 16 : -32 };
}

/**
 * The MEF file of a whole-detector unbinned readout of arena.stream, into arena.file (laid out
 * for `layout`); `step` is called once per stream row.
 */
export function fusedMef(ctx: ImageContext, layout: FusedLayout, arena: ArenaLayout, snapshot: readonly HeaderCard[], step: StepFn): FusedOutput {
  const { g, clock } = ctx;
  const { mode, plans, dataAt, headerBytes } = layout;
  checkStreamLength(arena.stream, g);
  const overscan = clock.time('overscanMs', () => readOverscan(g, arena, mode));
  const amps = clock.time('encodeMs', () =>
    overscan.levels === undefined ? encodeRaw16(g, arena, dataAt, step) : encodeFloat32(g, arena, overscan.levels, dataAt, step),
  );
  return clock.time('encodeMs', () => {
    const file = Buffer.from(arena.file.buffer, arena.file.byteOffset, layout.bytes);
    writeHeader(file, 0, layout.primary, noHalfSums());
    const stats = plans.map((plan, a) => {
      const { checksum, data } = amps[a];
      const shape = unitShape(plan, mode);
      const dataBytes = (plan.width * plan.height * Math.abs(shape.bitpix)) / 8;
      file.fill(0, dataAt[a] + dataBytes, dataAt[a] + paddedDataBytes(shape));
      const stats = ampStats(a, data, overscan.bias[a]);
      const text = headerText(extensionCards(g, plan, stats, mode, snapshot), shape, undefined);
      if (padded(text.length) !== headerBytes[a]) throw new Error('fusedMef: a header changed size with its statistics');
      writeHeader(file, dataAt[a] - headerBytes[a], text, checksum);
      return stats;
    });
    return { fits: arena.file, stats };
  });
}

const NO_STATS = { mean: 0, stddev: 0, pixels: 0 };

/** Each amp's serial overscan statistics (BIASMEAN, BIASRMS) and, when subtracting, bias level per raw row. */
function readOverscan(g: DetectorGeometry, arena: ArenaLayout, mode: BiasSubtraction) {
  const height = rawHeight(g);
  const images = gatherOverscan(g, arena);
  const whole: Rect = { x: 0, y: 0, width: g.overscanCols, height };
  const stats = kernelClippedStats(arena);
  return {
    bias: images.map((img) => stats(img, g.overscanCols, whole)),
    levels: mode === 'none' ? undefined : images.map((img) => biasLevels(img, g.overscanCols, height, whole, mode, stats)),
  };
}

/**
 * overscan.ts's clippedStats by the clip16 kernel, for whole rows of an image in the arena (one
 * run of pixels). Its sums are exact, so its statistics are clippedStats' to the last bit.
 */
function kernelClippedStats(arena: ArenaLayout): ClippedStats {
  return (img, width, rect) => {
    if (rect.x !== 0 || rect.width !== width) throw new RangeError('kernelClippedStats: whole rows only');
    const from = img.byteOffset + 2 * rect.y * width;
    return clippedFromSums(rect.height * width, (lo, hi) => rangeSums(arena, from, rect.height * width, lo, hi));
  };
}

/** clip16's sums of `count` pixels at `from` in the arena within [lo, hi] (pixels are integers: the bounds are rounded inwards). */
function rangeSums(arena: ArenaLayout, from: number, count: number, lo: number, hi: number): RangeSums {
  const low = Math.max(0, Math.ceil(lo));
  const high = Math.min(0xffff, Math.floor(hi));
  if (!(low <= high)) return { count: 0, sum: 0, squares: 0 };
  arena.kernels.clip16(from, count, low, high, arena.resultsAt);
  const { results } = arena;
  return { count: results[0]!, sum: results[1]!, squares: results[2]! };
}

/** The arena work bytes the pass takes: every amp's serial overscan as an image of its own, then the pass's tables. */
export function fusedWorkBytes(g: DetectorGeometry): number {
  const overscanImages = g.overscanCols * rawHeight(g) * Uint16Array.BYTES_PER_ELEMENT * g.amps.length;
  return Math.max(overscanImages, tableBytes(g).total);
}

/** Stream rows whose overscan (a kilobyte a row for itl4k) stays in the first-level cache while every amp's is picked. */
const OVERSCAN_BAND = 32;

/** Each amp's serial overscan columns as an image of their own (detector orientation), in arena.work, by pick16. */
function gatherOverscan(g: DetectorGeometry, arena: ArenaLayout): Uint16Array[] {
  const width = g.overscanCols;
  const height = rawHeight(g);
  const n = g.amps.length;
  const rowWidth = rawWidth(g);
  const all = new Uint16Array(arena.work.buffer, arena.work.byteOffset, width * height * n);
  const { pick16 } = arena.kernels;
  const picks = g.amps.map((amp) => {
    const x = ampRegions(g, amp).serialOverscan.x;
    const image = all.byteOffset + 2 * amp.index * width * height;
    return {
      first: arena.stream.byteOffset + 2 * ((amp.flipX ? rowWidth - 1 - x : x) * n + amp.index),
      firstRow: amp.flipY ? image + 2 * (height - 1) * width : image, // stream row 0 is raw row height - 1 when flipped in y
      stride: amp.flipX ? -2 * n : 2 * n,
      dstRow: amp.flipY ? -2 * width : 2 * width,
    };
  });
  const srcRow = 2 * rowWidth * n;
  // A band of stream rows at a time, every amp's overscan from it: the amps' overscan columns are
  // side by side in a row, so the band is read from memory once, not once per amp.
  for (let band = 0; band < height; band += OVERSCAN_BAND) {
    const rows = Math.min(OVERSCAN_BAND, height - band);
    for (const pick of picks) pick16(pick.first + band * srcRow, pick.stride, width, pick.firstRow + band * pick.dstRow, rows, srcRow, pick.dstRow);
  }
  return g.amps.map((amp) => all.subarray(amp.index * width * height, (amp.index + 1) * width * height));
}

/** What the pass gathers per amp. */
interface AmpTotals {
  checksum: HalfSums;
  data: { mean: number; stddev: number; pixels: number };
}

/**
 * The uint16 pass, by the rows16 kernel: every stream row, every amp's part of it (prescan, data,
 * overscan) written big-endian into its data unit, untrimmed.
 */
function encodeRaw16(g: DetectorGeometry, arena: ArenaLayout, dataAt: number[], step: StepFn): AmpTotals[] {
  const height = rawHeight(g);
  const n = g.amps.length;
  const tables = passTables(g, arena);
  for (const amp of g.amps) {
    const flips = (amp.flipX ? 1 : 0) | (amp.flipY ? 2 : 0);
    tables.amps.set([arena.file.byteOffset + dataAt[amp.index], flips, ampRegions(g, amp).data.x, sumsOf(arena, amp.index)], AMP_ENTRY * amp.index);
  }
  for (let p = 0; p < height; p++) {
    step(p);
    arena.kernels.rows16(arena.stream.byteOffset, n, rawWidth(g), height, g.ampHeight, g.ampWidth, tables.amps.byteOffset, tables.rowSums.byteOffset, p, p + 1, tables.unzippedAt);
  }
  step(height);
  return g.amps.map((amp) => ampTotals(g, arena, tables.rowSums, amp));
}

/**
 * The float32 pass, by the subtract32 kernel: every data row of every amp, minus its row's bias
 * level, written big-endian into its data unit, trimmed.
 */
function encodeFloat32(g: DetectorGeometry, arena: ArenaLayout, levels: Float32Array[], dataAt: number[], step: StepFn): AmpTotals[] {
  const width = rawWidth(g);
  const height = rawHeight(g);
  const n = g.amps.length;
  const { subtract32 } = arena.kernels;
  const { rowSums } = passTables(g, arena);
  const passes = g.amps.map((amp) => ({ flipX: amp.flipX, flipY: amp.flipY, data: ampRegions(g, amp).data, at: arena.file.byteOffset + dataAt[amp.index] }));
  for (let p = 0; p < g.ampHeight; p++) {
    step(p); // every amp reads its data rows first
    for (let a = 0; a < n; a++) {
      const { flipX, flipY, data, at } = passes[a];
      const y = flipY ? height - 1 - p : p;
      const stride = flipX ? -2 * n : 2 * n;
      const from = arena.stream.byteOffset + 2 * ((p * width + (flipX ? width - 1 : 0)) * n + a);
      const out = rowSums.byteOffset + ROW_SUMS_BYTES * (a * height + y);
      subtract32(from + data.x * stride, stride, g.ampWidth, levels[a][y], at + 4 * (y - data.y) * g.ampWidth, sumsOf(arena, a), out);
    }
  }
  step(height);
  return g.amps.map((amp) => ampTotals(g, arena, rowSums, amp));
}

/** rows16's table: four i32 per amp. */
const AMP_ENTRY = 4;
/** Per amp and raw row: its data pixels' sum and sum of squares (two float64). */
const ROW_SUMS_BYTES = 16;

/** rows16 unzips each stream row first when the amps come in eights (kernels.wat, unzip16). */
const UNZIP_GROUP = 8;

/** Where the pass's tables are in the work region: the amps' entries, the row sums, the unzipped stream row. */
function tableBytes(g: DetectorGeometry) {
  const n = g.amps.length;
  const rowSumsAt = AMP_ENTRY * Int32Array.BYTES_PER_ELEMENT * n;
  const unzippedAt = roundUp(rowSumsAt + ROW_SUMS_BYTES * n * rawHeight(g), ALIGN);
  return { rowSumsAt, unzippedAt, total: unzippedAt + Uint16Array.BYTES_PER_ELEMENT * n * rawWidth(g) };
}

/** The pass's tables in the arena's work region (the overscan images there have been read by then). */
function passTables(g: DetectorGeometry, arena: ArenaLayout) {
  const n = g.amps.length;
  const { buffer, byteOffset } = arena.work;
  const { rowSumsAt, unzippedAt } = tableBytes(g);
  const amps = new Int32Array(buffer, byteOffset, AMP_ENTRY * n);
  const rowSums = new Float64Array(buffer, byteOffset + rowSumsAt, (ROW_SUMS_BYTES / 8) * n * rawHeight(g));
  return { amps, rowSums, unzippedAt: n % UNZIP_GROUP === 0 ? byteOffset + unzippedAt : 0 };
}

/** The address of an amp's checksum sums. */
function sumsOf(arena: ArenaLayout, amp: number): number {
  return arena.sumsAt + amp * SUM_SLOTS * 8;
}

/**
 * An amp's checksum halves and its data statistics. Each row's sums are exact; they are added in
 * detector order, as the reference adds them, so that the float totals agree to the last bit.
 */
function ampTotals(g: DetectorGeometry, arena: ArenaLayout, rowSums: Float64Array, amp: Amplifier): AmpTotals {
  const [high, low] = Array.from(arena.sums.subarray(amp.index * SUM_SLOTS, (amp.index + 1) * SUM_SLOTS), Number);
  const { data } = ampRegions(g, amp);
  const totals = { count: g.ampWidth * g.ampHeight, sum: 0, sumSquares: 0 };
  for (let y = data.y; y < data.y + g.ampHeight; y++) {
    const at = 2 * (amp.index * rawHeight(g) + y);
    totals.sum += rowSums[at];
    totals.sumSquares += rowSums[at + 1];
  }
  return { checksum: { high, low }, data: statsFromSums(totals) };
}
