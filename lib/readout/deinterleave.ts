/**
 * Splits the controller's interleaved stream into one raw image per amp, each flipped into
 * detector orientation (see geometry.ts). One pass over the stream, a readout row at a time.
 */
import { ReadoutError } from '../errors.js';
import { rawHeight, rawPixelCount, rawWidth, type DetectorGeometry } from './geometry.js';
import type { StepFn } from './control.js';

/**
 * Raw amp images (rawWidth x rawHeight, row 0 at the bottom), in amp order, consecutive views of
 * one array: `out` (rawPixelCount long, every element overwritten) if given.
 */
export function deinterleave(stream: Uint16Array, g: DetectorGeometry, step?: StepFn, out?: Uint16Array): Uint16Array[] {
  const expected = rawPixelCount(g);
  if (stream.length !== expected) {
    throw new ReadoutError(`raw readout has ${stream.length} pixels, expected ${expected} for ${g.name}`);
  }
  const width = rawWidth(g);
  const height = rawHeight(g);
  const n = g.amps.length;
  const all = out ?? new Uint16Array(expected);
  if (all.length !== expected) throw new RangeError(`deinterleave: out has ${all.length} pixels, needs ${expected}`);
  for (let p = 0; p < height; p++) {
    step?.(p);
    const rowStart = p * width * n;
    // An indexed loop: V8 optimises this hot path markedly better than for..of.
    for (let a = 0; a < n; a++) {
      const amp = g.amps[a];
      const y = amp.flipY ? height - 1 - p : p;
      const first = a * width * height + y * width + (amp.flipX ? width - 1 : 0);
      unpackRow(stream, rowStart + a, rowStart + width * n, n, all, first, amp.flipX ? -1 : 1);
    }
  }
  step?.(height);
  return g.amps.map((amp) => all.subarray(amp.index * width * height, (amp.index + 1) * width * height));
}

/** Copies every `stride`-th pixel of src[from..end) to dst from `at`, stepping `direction` (+1 or -1). */
function unpackRow(src: Uint16Array, from: number, end: number, stride: number, dst: Uint16Array, at: number, direction: number): void {
  for (let i = from, o = at; i < end; i += stride, o += direction) dst[o] = src[i];
}
