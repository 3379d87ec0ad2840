/** Simple per-amp statistics for headers and status: data mean and spread, overscan bias level. */
import type { Rect } from './geometry.js';
import type { Pixels } from './binning.js';
import type { Sums } from './overscan.js';

export interface AmpStats {
  /** 1-based amp number (its extension is im<amp>). */
  amp: number;
  /** Mean and standard deviation of the amp's output data (bias subtracted when asked). */
  mean: number;
  stddev: number;
  /** Clipped mean and rms of its serial overscan (raw ADU): the bias level and read noise. */
  biasLevel: number;
  biasNoise: number;
  /** Data pixels the mean is over. */
  pixels: number;
}

export interface DataStats {
  mean: number;
  stddev: number;
  pixels: number;
}

/** Mean and (population) standard deviation of a rect of an image `width` wide. */
export function regionStats(img: Pixels, width: number, rect: Rect): DataStats {
  const sums = { count: rect.width * rect.height, sum: 0, sumSquares: 0 };
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const from = y * width + rect.x;
    addRow(img, from, from + rect.width, sums);
  }
  return statsFromSums(sums);
}

/** Two accumulators each, so the additions do not wait on one another. */
function addRow(img: Pixels, from: number, end: number, sums: Sums): void {
  let sum0 = 0;
  let sum1 = 0;
  let squares0 = 0;
  let squares1 = 0;
  let i = from;
  for (; i + 1 < end; i += 2) {
    const a = img[i];
    const b = img[i + 1];
    sum0 += a;
    sum1 += b;
    squares0 += a * a;
    squares1 += b * b;
  }
  if (i < end) {
    sum0 += img[i];
    squares0 += img[i] * img[i];
  }
  sums.sum += sum0 + sum1;
  sums.sumSquares += squares0 + squares1;
}

export function statsFromSums({ count, sum, sumSquares }: Sums): DataStats {
  if (count === 0) return { mean: 0, stddev: 0, pixels: 0 };
  const mean = sum / count;
  return { mean, stddev: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)), pixels: count };
}

/** Mean and standard deviation over several amps' pixels together. */
export function pooledStats(stats: AmpStats[]): { mean: number; stddev: number } {
  const pixels = stats.reduce((n, s) => n + s.pixels, 0);
  if (pixels === 0) return { mean: 0, stddev: 0 };
  const mean = stats.reduce((m, s) => m + s.mean * s.pixels, 0) / pixels;
  const second = stats.reduce((m, s) => m + (s.stddev ** 2 + s.mean ** 2) * s.pixels, 0) / pixels;
  return { mean, stddev: Math.sqrt(Math.max(0, second - mean * mean)) };
}
