import type { PixelCount, ReadoutPort, ReadoutProgress, ReadoutRequest } from '../instrument/readout-port.js';
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
  constructor(
    private readonly pool: ReadoutPool,
    private readonly store: ImageStore,
  ) {}

  async read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void> {
    const { signal } = progress;
    signal.throwIfAborted();
    const control = createReadoutControl(rawPixelCount(request.detector));
    const abort = (): void => requestAbort(control);
    signal.addEventListener('abort', abort, { once: true });
    progress.trackPixels(() => pixelsRemaining(control));
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

function pixelsRemaining(control: ReadoutControl): PixelCount {
  const { done, total } = readProgress(control);
  return { remaining: total - done, total };
}
