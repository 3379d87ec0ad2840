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
  const pairs = img instanceof Uint16Array ? new PixelPairs(img) : undefined;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const from = y * width + rect.x;
    if (pairs) pairs.addRow(from, from + rect.width, sums);
    else addRow(img, from, from + rect.width, sums);
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

/**
 * A uint16 image read two pixels per 32-bit word, for addRow at half the reads. Sums of integers
 * below 2^53 are exact in any order, so a row's sums (and the totals, added a row at a time) are
 * bit for bit those of addRow's order.
 */
class PixelPairs {
  readonly #img: Uint16Array;
  /** Index in img of the first pixel of words[0] (a word must be 4-byte aligned in the buffer). */
  readonly #start: number;
  readonly #words: Uint32Array;
  readonly #row: Sums = { count: 0, sum: 0, sumSquares: 0 };

  constructor(img: Uint16Array) {
    this.#img = img;
    this.#start = img.byteOffset % 4 === 0 ? 0 : 1;
    const pairs = Math.max(0, (img.length - this.#start) >> 1);
    this.#words = new Uint32Array(img.buffer, img.byteOffset + this.#start * 2, pairs);
  }

  /** Adds img[from, end) to `sums`. */
  addRow(from: number, end: number, sums: Sums): void {
    const img = this.#img;
    const row = this.#row;
    row.sum = 0;
    row.sumSquares = 0;
    let i = from;
    if (i < end && (i - this.#start) % 2 !== 0) addPixel(img[i++], row);
    const pairs = (end - i) >> 1;
    addWords(this.#words, (i - this.#start) >> 1, pairs, row);
    i += 2 * pairs;
    if (i < end) addPixel(img[i], row);
    sums.sum += row.sum;
    sums.sumSquares += row.sumSquares;
  }
}

function addPixel(v: number, sums: Sums): void {
  sums.sum += v;
  sums.sumSquares += v * v;
}

/** Adds the uint16 halves of words[first, first + count) (either byte order: both halves count). */
function addWords(words: Uint32Array, first: number, count: number, sums: Sums): void {
  let sum0 = 0;
  let sum1 = 0;
  let squares0 = 0;
  let squares1 = 0;
  const end = first + count;
  let k = first;
  for (; k + 1 < end; k += 2) {
    const w0 = words[k];
    const w1 = words[k + 1];
    const a = w0 & 0xffff;
    const b = w0 >>> 16;
    const c = w1 & 0xffff;
    const d = w1 >>> 16;
    sum0 += a + b;
    sum1 += c + d;
    squares0 += a * a + b * b;
    squares1 += c * c + d * d;
  }
  if (k < end) {
    const a = words[k] & 0xffff;
    const b = words[k] >>> 16;
    sum0 += a + b;
    squares0 += a * a + b * b;
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
