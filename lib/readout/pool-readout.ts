import { roiPixelCount, type PixelCount, type ReadoutPort, type ReadoutProgress, type ReadoutRequest } from '../instrument/readout-port.js';
import { log } from '../log.js';
import type { ImageStore } from '../storage/image-store.js';
import { createReadoutControl, readProgress, requestAbort, type ReadoutControl } from './control.js';
import { rawPixelCount } from './geometry.js';
import type { ReadoutPool } from './pool.js';
import type { ReadoutTask } from './process.js';

/**
 * The readout port of a simulated camera: the pixels are simulated and processed on the worker
 * pool, and the FITS bytes that come back are written atomically by the image store. Abort and
 * progress travel through shared memory, so no message is needed to stop or watch a worker.
 */
export class PoolReadout implements ReadoutPort {
  /** Readouts not yet written (or failed): a graceful stop waits for them. */
  readonly #reading = new Set<Promise<void>>();

  constructor(
    private readonly pool: ReadoutPool,
    private readonly store: ImageStore,
  ) {}

  read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void> {
    const reading = this.#read(request, progress);
    this.#reading.add(reading);
    const forget = (): void => void this.#reading.delete(reading);
    reading.then(forget, forget);
    return reading;
  }

  /**
   * Resolves once every readout started so far, and any started meanwhile, has its file written
   * or has failed. The pool's own close() only waits for the processing, not for the write after it.
   */
  async settled(): Promise<void> {
    while (this.#reading.size > 0) await Promise.allSettled([...this.#reading]);
  }

  async #read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void> {
    const { signal } = progress;
    signal.throwIfAborted();
    const control = createReadoutControl(rawPixelCount(request.detector));
    const abort = (): void => requestAbort(control);
    signal.addEventListener('abort', abort, { once: true });
    const pixels = roiPixelCount(request.roi);
    progress.trackPixels(() => pixelsRemaining(control, pixels));
    try {
      const processing = this.pool.submit(taskFor(request), control);
      progress.handedOff();
      const { fits, timings } = await processing;
      signal.throwIfAborted();
      progress.writing();
      const started = performance.now();
      await this.store.write(request.filename, fits, request.overwrite);
      log.debug('readout written', { camera: request.camera, filename: request.filename, ...timings, writeMs: performance.now() - started });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }
}

function taskFor(request: ReadoutRequest): ReadoutTask {
  return {
    geometry: request.detector,
    roi: request.roi,
    simulation: { imageType: request.imageType, exposureTime: request.exposureTime, seed: request.seed, shutter: request.shutterOpen },
    processing: { biasSubtraction: request.biasSubtraction, format: request.imageFormat },
    cards: [...request.header],
  };
}

/**
 * The worker counts raw-stream pixels (prescan and overscan included, every stage); clients are
 * told image pixels, as before the readout began, so the count only ever goes down.
 */
function pixelsRemaining(control: ReadoutControl, pixels: number): PixelCount {
  const { fraction } = readProgress(control);
  return { remaining: Math.round(pixels * (1 - fraction)), total: pixels };
}
