/**
 * ROI crop and binning: sums of colBin x rowBin blocks (partial blocks at the right and top are
 * dropped). Uint16 sums saturate at 65535, Float32 sums do not.
 */
import type { Rect } from './geometry.js';

export type Pixels = Uint16Array | Float32Array;

/**
 * Bins `rect` of an image `srcWidth` wide into `dst` (`dstWidth` wide) at (dstX, dstY):
 * floor(rect.width / colBin) x floor(rect.height / rowBin) output pixels. Copies when both bins are 1.
 */
export function binRect<T extends Pixels>(
  src: T,
  srcWidth: number,
  rect: Rect,
  colBin: number,
  rowBin: number,
  dst: T,
  dstWidth: number,
  dstX: number,
  dstY: number,
): void {
  if (colBin === 1 && rowBin === 1) {
    copyRect(src, srcWidth, rect, dst, dstWidth, dstX, dstY);
    return;
  }
  const outWidth = Math.floor(rect.width / colBin);
  const outHeight = Math.floor(rect.height / rowBin);
  const max = dst instanceof Uint16Array ? 65535 : Infinity;
  for (let j = 0; j < outHeight; j++) {
    const from = (rect.y + j * rowBin) * srcWidth + rect.x;
    binRow(src, srcWidth, from, colBin, rowBin, dst, (dstY + j) * dstWidth + dstX, outWidth, max);
  }
}

/** One output row: `count` sums of colBin x rowBin blocks starting at src[from]. */
function binRow(
  src: Pixels,
  srcWidth: number,
  from: number,
  colBin: number,
  rowBin: number,
  dst: Pixels,
  at: number,
  count: number,
  max: number,
): void {
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let r = 0, k = from + i * colBin; r < rowBin; r++, k += srcWidth) {
      for (let c = 0; c < colBin; c++) sum += src[k + c];
    }
    dst[at + i] = sum > max ? max : sum;
  }
}

export function copyRect<T extends Pixels>(
  src: T,
  srcWidth: number,
  rect: Rect,
  dst: T,
  dstWidth: number,
  dstX: number,
  dstY: number,
): void {
  for (let r = 0; r < rect.height; r++) {
    const from = (rect.y + r) * srcWidth + rect.x;
    dst.set(src.subarray(from, from + rect.width), (dstY + r) * dstWidth + dstX);
  }
}
