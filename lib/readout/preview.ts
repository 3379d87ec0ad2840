/**
 * A small preview of a readout for the status page: the region of interest, shrunk to at most
 * PREVIEW_SIZE pixels a side (each preview pixel the mean of a few detector pixels of its block,
 * each amp's bias level removed), stretched with IRAF's zscale, and encoded as an 8-bit greyscale
 * PNG. Pure: the worker calls it on the raw stream of the frame it has just processed.
 */
import { PNG } from 'pngjs';
import { detectorStreamIndexer, type DetectorGeometry, type Roi } from './geometry.js';

export const PREVIEW_SIZE = 256;
/** Detector pixels averaged per preview pixel, per axis (a grid inside its block). */
const SUBSAMPLES = 2;

export interface Preview {
  width: number;
  height: number;
  /** The PNG file. */
  png: Uint8Array;
}

export interface PreviewImage {
  width: number;
  height: number;
  /** Row 0 at the bottom, as the detector (and FITS) has it. */
  pixels: Float32Array;
}

/**
 * The ROI of the raw stream at preview size. `bias[i]` is amp i's bias level (subtracted so that
 * amps read alike); missing entries count as 0.
 */
export function shrinkRoi(raw: Uint16Array, g: DetectorGeometry, roi: Roi, bias: readonly number[], size = PREVIEW_SIZE): PreviewImage {
  const layout = sampleLayout(g, roi, size);
  const ampBias = Float64Array.from(g.amps, (amp) => bias[amp.index] ?? 0);
  return { width: layout.width, height: layout.height, pixels: averageSamples(raw, layout, ampBias) };
}

// The pixel loops are functions of their own, with nothing after the loop: V8 optimizes a long
// loop while it runs, and code after it that has not run yet sent the optimized code back to the
// interpreter on every frame.

function averageSamples(raw: Uint16Array, { width, height, perPixel, indices }: SampleLayout, ampBias: Float64Array): Float32Array {
  const n = ampBias.length;
  const pixels = new Float32Array(width * height);
  for (let p = 0, k = 0; p < pixels.length; p++) {
    let sum = 0;
    for (let s = 0; s < perPixel; s++, k++) {
      const index = indices[k]!;
      sum += raw[index]! - ampBias[index % n]!;
    }
    pixels[p] = sum / perPixel;
  }
  return pixels;
}

/** Where a preview's samples are in the stream: `perPixel` indices per preview pixel, row after row. */
interface SampleLayout {
  width: number;
  height: number;
  perPixel: number;
  indices: Int32Array;
}

/** Layouts made, by geometry and ROI: each camera reads out the same ROI frame after frame. */
const layouts = new Map<string, SampleLayout>();
/** More than the cameras a server runs with different ROIs at once. */
const LAYOUTS_KEPT = 16;

/**
 * The stream indices of the detector pixels each preview pixel averages (a grid inside its block).
 * Made once per geometry and ROI, so a frame's preview reads its samples straight from the stream.
 */
function sampleLayout(g: DetectorGeometry, roi: Roi, size: number): SampleLayout {
  const key = JSON.stringify([g, roi.firstCol, roi.lastCol, roi.firstRow, roi.lastRow, size]);
  const known = layouts.get(key);
  if (known) return known;
  const roiWidth = roi.lastCol - roi.firstCol + 1;
  const roiHeight = roi.lastRow - roi.firstRow + 1;
  const scale = Math.max(1, Math.max(roiWidth, roiHeight) / size);
  const width = Math.max(1, Math.round(roiWidth / scale));
  const height = Math.max(1, Math.round(roiHeight / scale));
  const samples = Math.max(1, Math.min(SUBSAMPLES, Math.floor(scale)));
  const step = scale / samples;
  const at = (first: number, extent: number, i: number): number => first - 1 + Math.min(extent - 1, Math.floor(i * step));
  const streamIndexOf = detectorStreamIndexer(g);
  const indices = new Int32Array(width * height * samples * samples);
  let k = 0;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          indices[k++] = streamIndexOf(at(roi.firstCol, roiWidth, px * samples + sx), at(roi.firstRow, roiHeight, py * samples + sy));
        }
      }
    }
  }
  const layout = { width, height, perPixel: samples * samples, indices };
  if (layouts.size >= LAYOUTS_KEPT) layouts.delete(layouts.keys().next().value!);
  layouts.set(key, layout);
  return layout;
}

/**
 * IRAF's zscale display range (as astropy's ZScaleInterval): a line fitted to up to 1000 sorted
 * samples, with outliers rejected, its slope divided by the contrast, about the median.
 */
export function zscale(values: ArrayLike<number>, contrast = 0.25, maxSamples = 1000): { low: number; high: number } {
  const samples = sortedSamples(values, maxSamples);
  const n = samples.length;
  if (n === 0) return { low: 0, high: 1 };
  const zmin = samples[0]!;
  const zmax = samples[n - 1]!;
  const center = Math.floor((n - 1) / 2);
  const median = n % 2 ? samples[center]! : (samples[center]! + samples[center + 1]!) / 2;
  const minGood = Math.max(5, Math.floor(n * 0.5));
  const grow = Math.max(1, Math.floor(n * 0.01));
  const bad = new Uint8Array(n);
  const rejected = new Uint8Array(n);
  let good = n;
  let previousGood = n + 1;
  let slope = 0;
  for (let iteration = 0; iteration < 5 && good < previousGood && good >= minGood; iteration++) {
    const line = fitLine(samples, bad);
    slope = line.slope;
    markOutliers(samples, line, bad, rejected);
    previousGood = good;
    good = n - dilate(rejected, grow, bad);
  }
  if (good < minGood) return { low: zmin, high: zmax };
  slope /= contrast;
  return { low: Math.max(zmin, median - (center - 1) * slope), high: Math.min(zmax, median + (n - center) * slope) };
}

/** Every `stride`-th finite value, at most `maxSamples` of them, sorted (as astropy samples). */
function sortedSamples(values: ArrayLike<number>, maxSamples: number): Float64Array {
  const finite = finiteValues(values);
  const stride = Math.max(1, Math.floor(finite.length / maxSamples));
  const samples = new Float64Array(Math.min(maxSamples, Math.ceil(finite.length / stride)));
  for (let i = 0; i < samples.length; i++) samples[i] = finite[i * stride]!;
  return samples.sort();
}

/** The values without NaN and infinities (the values themselves when all are finite). */
function finiteValues(values: ArrayLike<number>): ArrayLike<number> {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) count++;
  if (count === values.length) return values;
  const finite = new Float64Array(count);
  for (let i = 0, k = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite[k++] = values[i]!;
  return finite;
}

/** Least squares line through the samples (y) against their index (x), bad ones left out. */
function fitLine(samples: Float64Array, bad: Uint8Array): Line {
  let count = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let x = 0; x < samples.length; x++) {
    if (bad[x]) continue;
    const y = samples[x]!;
    count++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = count * sxx - sx * sx;
  const slope = denominator === 0 ? 0 : (count * sxy - sx * sy) / denominator;
  return { slope, intercept: count === 0 ? 0 : (sy - slope * sx) / count };
}

interface Line {
  slope: number;
  intercept: number;
}

/** Marks in `rejected` the bad samples and those beyond 2.5 standard deviations of the good ones' residuals. */
function markOutliers(samples: Float64Array, { slope, intercept }: Line, bad: Uint8Array, rejected: Uint8Array): void {
  let count = 0;
  let sum = 0;
  for (let x = 0; x < samples.length; x++) {
    if (bad[x]) continue;
    count++;
    sum += samples[x]! - (intercept + slope * x);
  }
  const mean = sum / Math.max(1, count);
  let squares = 0;
  for (let x = 0; x < samples.length; x++) {
    if (!bad[x]) squares += (samples[x]! - (intercept + slope * x) - mean) ** 2;
  }
  const threshold = 2.5 * Math.sqrt(squares / Math.max(1, count));
  for (let x = 0; x < samples.length; x++) {
    rejected[x] = bad[x] || Math.abs(samples[x]! - (intercept + slope * x)) > threshold ? 1 : 0;
  }
}

/** `bad` becomes `rejected` with each rejected sample taking its neighbours (IRAF's "grow"); returns the bad count. */
function dilate(rejected: Uint8Array, grow: number, bad: Uint8Array): number {
  bad.fill(0);
  const before = Math.floor((grow - 1) / 2);
  const after = Math.ceil((grow + 1) / 2);
  for (let i = 0; i < rejected.length; i++) {
    if (rejected[i]) bad.fill(1, Math.max(0, i - before), Math.min(bad.length, i + after));
  }
  let count = 0;
  for (let i = 0; i < bad.length; i++) count += bad[i]!;
  return count;
}

// The Sub filter on every row: as small as pngjs's per-row choice of filter for sky images, at a
// third of the time. Deflate level 1: sky noise does not compress past its Huffman code, and
// pngjs's level 9 took twice as long for a file as big.
const PNG_OPTIONS = { colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType: 1, deflateLevel: 1 } as const;

/** The image stretched linearly from `low` (black) to `high` (white), top row first, as a greyscale PNG. */
export function encodePreview({ width, height, pixels }: PreviewImage, low: number, high: number): Preview {
  const png = new PNG({ width, height, bitDepth: 8, ...PNG_OPTIONS });
  png.data = stretch({ width, height, pixels }, low, high);
  return { width, height, png: new Uint8Array(PNG.sync.write(png, PNG_OPTIONS)) };
}

/** Greyscale bytes, top row first: `low` black, `high` white, rounded half up. */
function stretch({ width, height, pixels }: PreviewImage, low: number, high: number): Buffer {
  const scale = 255 / (high > low ? high - low : 1);
  // Clamped by hand: a Uint8ClampedArray store of a double took three times as long.
  const grey = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    const from = (height - 1 - y) * width; // the detector's row 0 is at the bottom
    for (let x = 0; x < width; x++) {
      const level = (pixels[from + x]! - low) * scale + 0.5;
      grey[y * width + x] = level <= 0 ? 0 : level >= 255 ? 255 : level;
    }
  }
  return grey;
}

/** The preview of one readout: shrunk, zscaled, encoded. */
export function makePreview(raw: Uint16Array, g: DetectorGeometry, roi: Roi, bias: readonly number[]): Preview {
  const image = shrinkRoi(raw, g, roi, bias);
  const { low, high } = zscale(image.pixels);
  return encodePreview(image, low, high);
}
