/**
 * Splits the controller's interleaved stream into one raw image per amp, each flipped into
 * detector orientation (see geometry.ts). One pass over the stream, a readout row at a time.
 */
import { ReadoutError } from '../errors.js';
import { rawHeight, rawPixelCount, rawWidth, type DetectorGeometry } from './geometry.js';
import type { StepFn } from './control.js';
import { LITTLE_ENDIAN } from './byte-order.js';

/**
 * Raw amp images (rawWidth x rawHeight, row 0 at the bottom), in amp order, consecutive views of
 * one array: `out` (rawPixelCount long, every element overwritten) if given.
 */
export function deinterleave(stream: Uint16Array, g: DetectorGeometry, step?: StepFn, out?: Uint16Array): Uint16Array[] {
  checkStreamLength(stream, g);
  const expected = rawPixelCount(g);
  const width = rawWidth(g);
  const height = rawHeight(g);
  const n = g.amps.length;
  const all = out ?? new Uint16Array(expected);
  if (all.length !== expected) throw new RangeError(`deinterleave: out has ${all.length} pixels, needs ${expected}`);
  // Two amps per 32-bit read when pixels of amps 2k and 2k+1 share an aligned word.
  const paired = LITTLE_ENDIAN && n % 2 === 0 && stream.byteOffset % 4 === 0;
  const words = paired ? new Uint32Array(stream.buffer, stream.byteOffset, expected / 2) : undefined;
  // Per amp, for the current readout row: where its pixel 0 goes, and which way the row runs.
  const at = new Int32Array(n);
  const direction = Int32Array.from(g.amps, (amp) => (amp.flipX ? -1 : 1));
  for (let p = 0; p < height; p++) {
    step?.(p);
    for (const amp of g.amps) {
      const y = amp.flipY ? height - 1 - p : p;
      at[amp.index] = amp.index * width * height + y * width + (amp.flipX ? width - 1 : 0);
    }
    const rowStart = p * width * n;
    if (words) {
      for (let a = 0; a < n; a += 2) {
        unpackPairRow(words, (rowStart + a) / 2, n / 2, width, all, at[a], direction[a], at[a + 1], direction[a + 1]);
      }
    } else {
      for (let a = 0; a < n; a++) unpackRow(stream, rowStart + a, n, width, all, at[a], direction[a]);
    }
  }
  step?.(height);
  return g.amps.map((amp) => all.subarray(amp.index * width * height, (amp.index + 1) * width * height));
}

/** Throws ReadoutError unless the stream holds exactly the detector's raw pixels. */
export function checkStreamLength(stream: Uint16Array, g: DetectorGeometry): void {
  const expected = rawPixelCount(g);
  if (stream.length !== expected) {
    throw new ReadoutError(`raw readout has ${stream.length} pixels, expected ${expected} for ${g.name}`);
  }
}

/** Copies `count` pixels src[from + k * stride] to dst[at + k * direction] (direction +1 or -1). */
function unpackRow(src: Uint16Array, from: number, stride: number, count: number, dst: Uint16Array, at: number, direction: number): void {
  if (stride === 1 && direction === 1) {
    dst.set(src.subarray(from, from + count), at); // one amp: a plain (native) copy
    return;
  }
  for (let k = 0, i = from, o = at; k < count; k++, i += stride, o += direction) dst[o] = src[i];
}

/**
 * unpackRow for two amps at once: word k (src[from + k * stride]) holds pixel k of the first amp
 * in its low half (on a little-endian platform) and of the second in its high half. Half the
 * reads, and two words per iteration: V8 checks each typed array (map, length, data pointer) on
 * every iteration, so the more an iteration does, the less those checks cost per pixel.
 */
function unpackPairRow(
  src: Uint32Array,
  from: number,
  stride: number,
  count: number,
  dst: Uint16Array,
  first: number,
  firstDirection: number,
  second: number,
  secondDirection: number,
): void {
  let k = 0;
  let i = from;
  for (; k + 1 < count; k += 2, i += 2 * stride, first += 2 * firstDirection, second += 2 * secondDirection) {
    const word = src[i];
    const next = src[i + stride];
    dst[first] = word & 0xffff;
    dst[second] = word >>> 16;
    dst[first + firstDirection] = next & 0xffff;
    dst[second + secondDirection] = next >>> 16;
  }
  if (k < count) {
    const word = src[i];
    dst[first] = word & 0xffff;
    dst[second] = word >>> 16;
  }
}
