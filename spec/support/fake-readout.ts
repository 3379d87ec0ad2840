import { writeFileSync } from 'node:fs';
import { roiPixelCount } from '../../lib/readout/geometry.js';
import type { ReadoutPort, ReadoutProgress } from '../../lib/readout/port.js';
import type { ReadoutRequest } from '../../lib/readout/request.js';

/** A readout the test finishes by hand. */
export interface PendingRead {
  request: ReadoutRequest;
  progress: ReadoutProgress;
  /** Reports the file being written, through the pixel counter as the pool's readout does. */
  writing(): void;
  /** Writes a stand-in file at request.filename and resolves. */
  complete(): void;
  fail(error: Error): void;
}

/**
 * A ReadoutPort for tests: records every request, and hands each read to the test (`nextRead`)
 * unless `autoComplete` is set. Honours abort (rejects with the signal's reason) unless
 * `ignoreAbort` is set, to play a readout that never stops.
 */
export class FakeReadout implements ReadoutPort {
  readonly requests: ReadoutRequest[] = [];
  autoComplete = false;
  ignoreAbort = false;
  readonly #ready: PendingRead[] = [];
  readonly #waiters: ((read: PendingRead) => void)[] = [];

  read(request: ReadoutRequest, progress: ReadoutProgress): Promise<void> {
    this.requests.push(request);
    const total = roiPixelCount(request.roi);
    let writing = false;
    progress.trackPixels(() => ({ remaining: writing ? 0 : total, total, writing }));
    return new Promise((resolve, reject) => {
      const { signal } = progress;
      if (!this.ignoreAbort) signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      const pending: PendingRead = {
        request,
        progress,
        writing: () => (writing = true),
        complete: () => {
          writeFileSync(request.filename, 'not really FITS');
          resolve();
        },
        fail: reject,
      };
      if (this.autoComplete) pending.complete();
      else this.#deliver(pending);
    });
  }

  /** The next read the exposure starts (or has started). */
  nextRead(): Promise<PendingRead> {
    const ready = this.#ready.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.#waiters.push(resolve));
  }

  #deliver(pending: PendingRead): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(pending);
    else this.#ready.push(pending);
  }
}
