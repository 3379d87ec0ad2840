import { log } from '../log.js';
import { createReadoutControl, isWriting, readProgress, requestAbort, type ReadoutControl } from './control.js';
import { rawPixelCount, roiPixelCount } from './geometry.js';
import type { ReadoutPool, WrittenReadout } from './pool.js';
import type { PixelCount, ReadoutPort, ReadoutProgress } from './port.js';
import type { ReadoutRequest } from './request.js';
import { roundedTimings } from './timings.js';

/** How a readout ended: its file written (with what the worker measured and made), aborted, or failed. */
export type ReadoutEvent =
  | { camera: string; filename: string; result: 'written'; written: WrittenReadout }
  | { camera: string; filename: string; result: 'aborted' | 'failed' };

export type ReadoutObserver = (event: ReadoutEvent) => void;

/**
 * The readout port of a simulated camera: the pixels are simulated and processed on the worker
 * pool, and the worker writes the file atomically with the image store. Abort, progress and the
 * start of the write travel through shared memory, so no message is needed to stop or watch a
 * worker.
 */
export class PoolReadout implements ReadoutPort {
  /** Readouts not yet written (or failed): a graceful stop waits for them. */
  readonly #reading = new Set<Promise<void>>();

  constructor(
    private readonly pool: ReadoutPool,
    /** Told how each readout ended (metrics, the status page's last image). */
    private readonly observer: ReadoutObserver = () => undefined,
  ) {}

  read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void> {
    const reading = this.#read(request, progress);
    this.#reading.add(reading);
    const forget = (): void => void this.#reading.delete(reading);
    reading.then(forget, forget);
    return reading;
  }

  /** Resolves once every readout started so far, and any started meanwhile, has its file written or has failed. */
  async settled(): Promise<void> {
    while (this.#reading.size > 0) await Promise.allSettled([...this.#reading]);
  }

  async #read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void> {
    const { signal } = progress;
    signal.throwIfAborted();
    const control = createReadoutControl(rawPixelCount(request.geometry));
    const abort = (): void => requestAbort(control);
    signal.addEventListener('abort', abort, { once: true });
    const pixels = roiPixelCount(request.roi);
    progress.trackPixels(() => pixelsRemaining(control, pixels));
    try {
      const writing = this.pool.submit(request, control);
      progress.handedOff();
      const written = await writing;
      log.debug('readout written', { camera: request.camera, filename: request.filename, bytes: written.bytes, ...roundedTimings(written.timings) });
      this.observer({ camera: request.camera, filename: request.filename, result: 'written', written });
    } catch (error) {
      this.observer({ camera: request.camera, filename: request.filename, result: signal.aborted ? 'aborted' : 'failed' });
      throw error;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }
}

/**
 * The worker counts raw-stream pixels (prescan and overscan included, every stage); clients are
 * told image pixels, as before the readout began, so the count only ever goes down.
 */
function pixelsRemaining(control: ReadoutControl, pixels: number): PixelCount {
  const { fraction } = readProgress(control);
  return { remaining: Math.round(pixels * (1 - fraction)), total: pixels, writing: isWriting(control) };
}
