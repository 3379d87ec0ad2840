/**
 * Overscan bias: the level of an amp's serial overscan, per row ('row') or one for the amp
 * ('amp'), and its subtraction. A level is a clipped mean: the mean of the overscan pixels within
 * CLIP_SIGMA standard deviations of the plain mean (so a cosmic ray in the overscan is rejected),
 * or the plain mean when they all agree.
 */
import { InvalidArgumentError } from '../errors.js';
import type { DetectorGeometry, Rect } from './geometry.js';

/** A readout's choice: no subtraction, or one of the modes. */
export const BIAS_SUBTRACTIONS = ['none', 'row', 'amp'] as const;
export type BiasSubtraction = (typeof BIAS_SUBTRACTIONS)[number];
export type BiasMode = Exclude<BiasSubtraction, 'none'>;

/** Subtraction needs an overscan to measure the bias in. */
export function checkBiasSubtraction(g: DetectorGeometry, mode: BiasSubtraction): void {
  if (mode !== 'none' && g.overscanCols === 0) {
    throw new InvalidArgumentError(`bias subtraction needs overscan columns; detector ${g.name} has none`);
  }
}

export const CLIP_SIGMA = 3;

/** Clipped mean and standard deviation of a rectangle of an image `width` pixels wide. */
export type ClippedStats = (img: Uint16Array, width: number, rect: Rect) => { mean: number; stddev: number };

export const clippedStats: ClippedStats = (img, width, rect) => {
  return clippedFromSums(rect.width * rect.height, (lo, hi) => rectSums(img, width, rect, lo, hi));
};

/** Count, sum and sum of squares of some pixels' values within [lo, hi]. */
export interface RangeSums {
  count: number;
  sum: number;
  squares: number;
}

/** The clipped statistics of `count` pixels, from their sums within a range (`sums`: exact, as a pass in order gives them). */
export function clippedFromSums(count: number, sums: (lo: number, hi: number) => RangeSums): { mean: number; stddev: number } {
  if (count === 0) return { mean: 0, stddev: 0 };
  const all = sums(0, Infinity);
  const mean = all.sum / count;
  const stddev = Math.sqrt(Math.max(0, all.squares / count - mean * mean));
  const kept = sums(mean - CLIP_SIGMA * stddev, mean + CLIP_SIGMA * stddev);
  if (kept.count === 0) return { mean, stddev };
  const clippedMean = kept.sum / kept.count;
  return { mean: clippedMean, stddev: Math.sqrt(Math.max(0, kept.squares / kept.count - clippedMean * clippedMean)) };
}

function rectSums(img: Uint16Array, width: number, rect: Rect, lo: number, hi: number): RangeSums {
  const { x, y: top, width: w, height: h } = rect;
  let count = 0;
  let sum = 0;
  let squares = 0;
  for (let y = top; y < top + h; y++) {
    for (let i = y * width + x, end = i + w; i < end; i++) {
      const v = img[i];
      if (v < lo || v > hi) continue;
      count++;
      sum += v;
      squares += v * v;
    }
  }
  return { count, sum, squares };
}

/**
 * Bias level of every row of an image `width` x `height` from its overscan columns (`overscan`:
 * x and width used; every row): per row in 'row' mode, the same level for all rows in 'amp' mode.
 * `stats` computes each clipped mean (the fused pass gives its kernel's).
 */
export function biasLevels(img: Uint16Array, width: number, height: number, overscan: Rect, mode: BiasMode, stats: ClippedStats = clippedStats): Float32Array {
  const levels = new Float32Array(height);
  if (mode === 'amp') {
    levels.fill(stats(img, width, { x: overscan.x, y: 0, width: overscan.width, height }).mean);
    return levels;
  }
  const row = { x: overscan.x, y: 0, width: overscan.width, height: 1 };
  for (let y = 0; y < height; y++) {
    row.y = y;
    levels[y] = stats(img, width, row).mean;
  }
  return levels;
}

/** Sum and sum of squares of the pixels a pass wrote, so statistics need no second pass. */
export interface Sums {
  count: number;
  sum: number;
  sumSquares: number;
}

/**
 * Writes `src` rect of an image `width` wide, minus each row's level, into `dst` (`dstWidth`
 * wide) at (dstX, dstY). Returns the sums of the values written.
 */
export function subtractBias(
  img: Uint16Array,
  width: number,
  src: Rect,
  levels: Float32Array,
  dst: Float32Array,
  dstWidth: number,
  dstX: number,
  dstY: number,
): Sums {
  const sums = { count: src.width * src.height, sum: 0, sumSquares: 0 };
  for (let r = 0; r < src.height; r++) {
    const from = (src.y + r) * width + src.x;
    subtractRow(img, from, from + src.width, levels[src.y + r], dst, (dstY + r) * dstWidth + dstX, sums);
  }
  return sums;
}

/** Two accumulators each, so the additions do not wait on one another. */
function subtractRow(img: Uint16Array, from: number, end: number, level: number, dst: Float32Array, at: number, sums: Sums): void {
  let sum0 = 0;
  let sum1 = 0;
  let squares0 = 0;
  let squares1 = 0;
  let i = from;
  let o = at;
  for (; i + 1 < end; i += 2, o += 2) {
    const a = img[i] - level;
    const b = img[i + 1] - level;
    dst[o] = a;
    dst[o + 1] = b;
    sum0 += a;
    sum1 += b;
    squares0 += a * a;
    squares1 += b * b;
  }
  if (i < end) {
    const a = img[i] - level;
    dst[o] = a;
    sum0 += a;
    squares0 += a * a;
  }
  sums.sum += sum0 + sum1;
  sums.sumSquares += squares0 + squares1;
}
