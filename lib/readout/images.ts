/**
 * The output images of a readout from its de-interleaved amp images: per amp (MEF) raw with
 * prescan/overscan, or bias subtracted and trimmed; or one assembled image of the ROI. Each comes
 * with its amp's statistics. Work buffers come from a Scratch (see scratch.ts).
 */
import { ampRegions, rawHeight, rawWidth, type DetectorGeometry } from './geometry.js';
import type { AmpPlan, AssemblyPlan } from './sections.js';
import { biasLevels, clippedStats, subtractBias, type BiasMode, type BiasSubtraction } from './overscan.js';
import { binRect, copyRect, type Pixels } from './binning.js';
import { regionStats, statsFromSums, type AmpStats, type DataStats } from './stats.js';
import type { StageClock } from './timings.js';
import type { Scratch } from './scratch.js';
import type { StepFn } from './control.js';

export interface ImageContext {
  g: DetectorGeometry;
  clock: StageClock;
  scratch: Scratch;
}

export interface OutputImage<T extends Pixels = Pixels> {
  width: number;
  height: number;
  data: T;
}

/** Overscan bias level and noise of an amp's raw image (0 without overscan). */
function overscanStats(g: DetectorGeometry, img: Uint16Array, amp: AmpPlan['amp']): { mean: number; stddev: number } {
  const { serialOverscan } = ampRegions(g, amp);
  return serialOverscan.width > 0 ? clippedStats(img, rawWidth(g), serialOverscan) : { mean: 0, stddev: 0 };
}

export function ampStats(index: number, data: DataStats, bias: { mean: number; stddev: number }): AmpStats {
  return { amp: index + 1, mean: data.mean, stddev: data.stddev, biasLevel: bias.mean, biasNoise: bias.stddev, pixels: data.pixels };
}

/** Raw uint16 output with prescan and overscan: the amp's raw image itself when nothing is cut. */
export function rawAmpImage(ctx: ImageContext, plan: AmpPlan, img: Uint16Array): { image: OutputImage<Uint16Array>; stats: AmpStats } {
  const { g, clock } = ctx;
  const width = rawWidth(g);
  const bias = clock.time('overscanMs', () => overscanStats(g, img, plan.amp));
  const dataRect = { x: plan.dataCols.src, y: plan.dataRows.src, width: plan.dataCols.length, height: plan.dataRows.length };
  const data = clock.time('statsMs', () => regionStats(img, width, dataRect));
  const pixels = clock.time('binMs', () => {
    if (plan.width === width && plan.height === rawHeight(g)) return img;
    const out = ctx.scratch.uint16(`binned${plan.amp.index}`, plan.width * plan.height);
    for (const c of plan.cols) {
      for (const r of plan.rows) {
        const rect = { x: c.src, y: r.src, width: c.length, height: r.length };
        binRect(img, width, rect, plan.colBin, plan.rowBin, out, plan.width, c.dst, r.dst);
      }
    }
    return out;
  });
  return { image: { width: plan.width, height: plan.height, data: pixels }, stats: ampStats(plan.amp.index, data, bias) };
}

/** Bias-subtracted float32 output of the amp's data in the ROI only. */
export function trimmedAmpImage(
  ctx: ImageContext,
  plan: AmpPlan,
  img: Uint16Array,
  mode: BiasMode,
): { image: OutputImage<Float32Array>; stats: AmpStats } {
  const { g, clock, scratch } = ctx;
  const width = plan.dataCols.length;
  const height = plan.dataRows.length;
  const full = scratch.float32(`trimmed${plan.amp.index}`, width * height);
  const { bias, data } = clock.time('overscanMs', () => {
    const src = { x: plan.dataCols.src, y: plan.dataRows.src, width, height };
    const levels = biasLevels(img, rawWidth(g), rawHeight(g), ampRegions(g, plan.amp).serialOverscan, mode);
    const sums = subtractBias(img, rawWidth(g), src, levels, full, width, 0, 0);
    return { bias: overscanStats(g, img, plan.amp), data: statsFromSums(sums) };
  });
  const pixels = clock.time('binMs', () =>
    binWhole(full, width, height, plan.colBin, plan.rowBin, () => scratch.float32(`binned${plan.amp.index}`, plan.width * plan.height)),
  );
  return { image: { width: plan.width, height: plan.height, data: pixels }, stats: ampStats(plan.amp.index, data, bias) };
}

/** A whole image binned into `output()` (the image itself when not binned). */
function binWhole<T extends Pixels>(img: T, width: number, height: number, colBin: number, rowBin: number, output: () => T): T {
  if (colBin === 1 && rowBin === 1) return img;
  const out = output();
  binRect(img, width, { x: 0, y: 0, width, height }, colBin, rowBin, out, Math.floor(width / colBin), 0, 0);
  return out;
}

/**
 * The ROI assembled from every amp's data at its detector position, bias subtracted (float32)
 * unless mode is 'none' (uint16), then binned. Statistics per amp are over its unbinned pixels.
 */
export function assembledImage(
  ctx: ImageContext,
  plan: AssemblyPlan,
  amps: Uint16Array[],
  mode: BiasSubtraction,
  step: StepFn,
): { image: OutputImage; stats: AmpStats[] } {
  const { clock, scratch } = ctx;
  const size = plan.width * plan.height;
  const full = mode === 'none' ? scratch.uint16('assembled', size) : scratch.float32('assembled', size);
  const stats = plan.pieces.map((piece) => {
    step(piece.amp.index);
    return placePiece(ctx, plan, piece, amps[piece.amp.index], full, mode);
  });
  const binnedSize = plan.binnedWidth * plan.binnedHeight;
  const out = (): Pixels => (full instanceof Uint16Array ? scratch.uint16('binned', binnedSize) : scratch.float32('binned', binnedSize));
  const data = clock.time('binMs', () => binWhole<Pixels>(full, plan.width, plan.height, plan.colBin, plan.rowBin, out));
  return { image: { width: plan.binnedWidth, height: plan.binnedHeight, data }, stats };
}

function placePiece(
  ctx: ImageContext,
  plan: AssemblyPlan,
  piece: AssemblyPlan['pieces'][number],
  img: Uint16Array,
  full: Pixels,
  mode: BiasSubtraction,
): AmpStats {
  const { g, clock } = ctx;
  const bias = clock.time('overscanMs', () => overscanStats(g, img, piece.amp));
  if (full instanceof Float32Array && mode !== 'none') {
    const data = clock.time('overscanMs', () => {
      const levels = biasLevels(img, rawWidth(g), rawHeight(g), ampRegions(g, piece.amp).serialOverscan, mode);
      return statsFromSums(subtractBias(img, rawWidth(g), piece.src, levels, full, plan.width, piece.dstX, piece.dstY));
    });
    return ampStats(piece.amp.index, data, bias);
  }
  clock.time('binMs', () => copyRect(img, rawWidth(g), piece.src, full, plan.width, piece.dstX, piece.dstY));
  const data = clock.time('statsMs', () => regionStats(full, plan.width, { ...piece.src, x: piece.dstX, y: piece.dstY }));
  return ampStats(piece.amp.index, data, bias);
}
