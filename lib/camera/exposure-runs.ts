import { ShuttingDownError } from '../errors.js';
import type { ExposureRun } from './exposure-run.js';

/**
 * A camera's exposures that have not ended: the one integrating and earlier ones still being read
 * out. A server stop goes through here: no new exposure starts, integration ends early so the
 * image is kept, and past the stop timeout whatever still runs is aborted.
 */
export class ExposureRuns {
  readonly #unfinished = new Set<ExposureRun>();
  #stopping = false;

  /** Refuses a new exposure once the server is stopping. */
  admit(): void {
    if (this.#stopping) throw new ShuttingDownError();
  }

  track(run: ExposureRun): void {
    this.#unfinished.add(run);
    const forget = (): void => void this.#unfinished.delete(run);
    run.finished.then(forget, forget);
  }

  /** Stopping: no new exposure; each one integrating (or paused) ends now and is read out. */
  endEarly(): void {
    this.#stopping = true;
    for (const run of this.#unfinished) run.endEarly();
  }

  abortAll(): void {
    for (const run of this.#unfinished) run.abort();
  }

  get count(): number {
    return this.#unfinished.size;
  }

  /** Resolves once every exposure started so far has ended, written or not. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#unfinished].map((run) => run.finished));
  }
}
