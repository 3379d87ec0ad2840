/**
 * The readout on N cores, on paper, from one machine's measurements: what each core does (frames/s
 * of one worker, times the scaling efficiency measured at the most workers), the memory a thread
 * holds for the frames in flight on it, and the disk bandwidth the files then need.
 */
import { READOUTS_PER_THREAD } from '../../lib/readout/pool.js';
import type { ReadoutScalingResult } from './readout-scaling.js';

export interface CoreModelRow {
  cores: number;
  fps: number;
  /** Raw pixels in from the controllers, MB/s. */
  rawMBPerS: number;
  /** FITS files out to the disk, MB/s. */
  diskMBPerS: number;
  /** Frame buffers held for the readout threads, MB (theirs, and the page cache's until flushed). */
  memoryMB: number;
}

/**
 * Each thread holds the raw stream and the file of the frame it processes; the files of the frames
 * it flushes (the rest of its READOUTS_PER_THREAD) are in the page cache until they are on the disk.
 */
export const BUFFERS_PER_THREAD = { raw: 1, fits: READOUTS_PER_THREAD };

export const MODEL_CORES = [4, 16, 64];

/** The model for `cores` (one readout thread per core); undefined without a one-worker run. */
export function coreModel(result: ReadoutScalingResult, cores: readonly number[] = MODEL_CORES): CoreModelRow[] | undefined {
  const single = result.runs.find((run) => run.workers === 1);
  if (!single) return undefined;
  const widest = result.runs[result.runs.length - 1];
  const perCore = single.fps * Math.min(1, widest.efficiency);
  const perThreadMB = BUFFERS_PER_THREAD.raw * result.rawMBPerFrame + BUFFERS_PER_THREAD.fits * result.fitsMBPerFrame;
  return cores.map((n) => ({
    cores: n,
    fps: n * perCore,
    rawMBPerS: n * perCore * result.rawMBPerFrame,
    diskMBPerS: n * perCore * result.fitsMBPerFrame,
    memoryMB: n * perThreadMB,
  }));
}
