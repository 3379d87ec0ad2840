/**
 * One readout as the camera asks for it and the worker receives it: everything decided when the
 * exposure started (later changes to the camera's settings cannot reach it). Plain data, so it
 * crosses to a worker thread by structured cloning unchanged.
 */
import type { HeaderCard } from './fits.js';
import type { DetectorGeometry, Roi } from './geometry.js';
import type { BiasSubtraction } from './overscan.js';
import type { SimulationParams } from './simulate.js';

export const IMAGE_FORMATS = ['mef', 'assembled'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export interface ProcessingOptions {
  biasSubtraction: BiasSubtraction;
  format: ImageFormat;
}

export interface ReadoutRequest {
  /** The camera's name, for logs. */
  camera: string;
  geometry: DetectorGeometry;
  roi: Roi;
  /** What the simulated detector saw (ignored when `raw` is given). */
  simulation: SimulationParams;
  processing: ProcessingOptions;
  /** The primary header: DATE-OBS, EXPTIME, IMAGETYP, OBJECT, ... as they were at exposure start. */
  cards: readonly HeaderCard[];
  /** A real controller's interleaved stream; when absent the readout is simulated. */
  raw?: Uint16Array;
  /** Where the file goes; its absence was checked at exposure start unless `overwrite`. */
  filename: string;
  /** May replace an existing file; if not, a file that appeared meanwhile must not be clobbered. */
  overwrite: boolean;
}
