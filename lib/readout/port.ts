/**
 * The seam between an exposure and the readout that turns its pixels into a file: the camera
 * builds the request when the exposure starts, and a port reads the detector (simulated or real),
 * processes the pixels and writes the FITS file at `request.filename` (a temp name renamed into
 * place, so nobody sees a partial file).
 */
import type { ReadoutRequest } from './request.js';

export interface PixelCount {
  remaining: number;
  total: number;
  /** The pixels are processed and the file is being written (READOUT → WRITING). */
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
}

export interface ReadoutPort {
  /** Resolves once the FITS file is written at request.filename; rejects if it was not. */
  read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void>;
}
