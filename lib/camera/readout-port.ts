/**
 * The seam between an exposure and the readout that turns its pixels into a file. The exposure
 * decides everything up front (the request is frozen when the exposure starts); the port reads the
 * detector (simulated or real), processes the pixels and writes the FITS file at
 * `request.filename` (a temp name renamed into place, so nobody sees a partial file).
 */
import type { HeaderCard } from '../readout/fits.js';
import type { DetectorGeometry, Roi } from '../readout/geometry.js';
import type { BiasSubtraction, ImageFormat } from './parameters.js';

export interface ReadoutRequest {
  /** The camera's name, for logs. */
  camera: string;
  detector: DetectorGeometry;
  roi: Roi;
  /** azcam image type: zero, object, flat, dark, or test. */
  imageType: string;
  /** Seconds of integration (0 for a zero). */
  exposureTime: number;
  /** Whether light reached the detector. */
  shutterOpen: boolean;
  imageFormat: ImageFormat;
  biasSubtraction: BiasSubtraction;
  /** The primary header: DATE-OBS, EXPTIME, IMAGETYP, OBJECT, ... as they were at exposure start. */
  header: readonly HeaderCard[];
  /** Where the file goes; its absence was checked at exposure start unless `overwrite`. */
  filename: string;
  /** May replace an existing file; if not, a file that appeared meanwhile must not be clobbered. */
  overwrite: boolean;
  /** For the simulated pixels: the same seed gives the same image. */
  seed: number;
}

export interface PixelCount {
  remaining: number;
  total: number;
  /** The file is being written (READOUT → WRITING), for a port that learns it here rather than calling `writing()`. */
  writing?: boolean;
}

export interface ReadoutProgress {
  /** Aborted when the exposure is aborted: the port then stops, writes no file, and rejects. */
  readonly signal: AbortSignal;
  /**
   * Where the exposure reads pixels remaining, and whether the file is being written, whenever a
   * client asks (pulled, so a counter that a worker updates in shared memory needs no timer to
   * report it). Any unit will do.
   */
  trackPixels(counter: () => PixelCount): void;
  /**
   * The controller's raw stream is in the pool's hands: the camera is free for the next exposure
   * while this one is still processed (this exposure keeps its own request and file name).
   */
  handedOff(): void;
  /** The pixels are processed and the file is being written (READOUT → WRITING). */
  writing(): void;
}

export interface ReadoutPort {
  /** Resolves once the FITS file is written at request.filename; rejects if it was not. */
  read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void>;
}

/** Pixels in the binned region of interest. */
export function roiPixelCount(roi: Roi): number {
  const columns = Math.floor((roi.lastCol - roi.firstCol + 1) / roi.colBin);
  const rows = Math.floor((roi.lastRow - roi.firstRow + 1) / roi.rowBin);
  return columns * rows;
}
