/**
 * The server's one readout worker pool: a fixed number of threads kept alive (no start-up cost
 * per readout) and a bounded queue. Past the queue a readout fails at once with ServerBusyError.
 * The server's readouts are written to their files by the worker itself: the FITS bytes never
 * cross to the main thread, whose GC would otherwise pause for them. Worker failures come back as
 * ReadoutError, our own errors with their message (see `portableError`; an abort is recognised
 * by the task's abort flag), and the pool replaces a worker that died.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AbortedError, CommandError, ReadoutError, ServerBusyError, ShuttingDownError } from '../errors.js';
import { log } from '../log.js';
import { isAborted, type ReadoutControl } from './control.js';
import { revived, runJob, type ReadoutJob, type ReadoutOutput, type WrittenReadout } from './job.js';
import { validateTask, type ReadoutResult, type ReadoutTask } from './process.js';
import { Scratch } from './scratch.js';

export { createReadoutControl } from './control.js';
export type { ReadoutJob, ReadoutOutput, WrittenReadout } from './job.js';

export interface ReadoutPoolOptions {
  /** Worker threads; default cores - 1, at least 1. */
  threads?: number;
  /** Readouts that may wait for a thread; default 4 x threads. */
  maxQueue?: number;
  /** Process on the calling thread instead (benchmark comparison only: blocks the event loop). */
  inline?: boolean;
  /** The compiled worker; default dist/workers/readout.js next to this module's dist/lib. */
  filename?: string;
}

const WORKER = new URL('../../workers/readout.js', import.meta.url).href;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class ReadoutPool {
  readonly threads: number;
  readonly maxQueue: number;
  readonly inline: boolean;
  readonly #pool: Piscina<ReadoutJob, ReadoutResult | WrittenReadout> | undefined;
  /** Inline mode's work buffers (nothing is allocated until used). */
  readonly #scratch = new Scratch();
  #inFlight = 0;
  #closing: Promise<void> | undefined;

  constructor(options: ReadoutPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? 4 * this.threads));
    this.inline = options.inline ?? false;
    if (!this.inline) {
      this.#pool = new Piscina<ReadoutJob, ReadoutResult | WrittenReadout>({
        filename: options.filename ?? WORKER,
        minThreads: this.threads,
        maxThreads: this.threads,
        maxQueue: this.threads + this.maxQueue, // never reached: run() refuses first
        idleTimeout: Infinity,
      });
      // A worker that fails with no task on it: nothing to reply to, but worth a line in the log.
      this.#pool.on('error', (error: Error) => log.warn('readout worker failed', { error: error.message }));
    }
  }

  /** Readouts waiting for a thread. */
  get queueSize(): number {
    return this.#pool?.queueSize ?? 0;
  }

  /** Readouts being processed now. */
  get running(): number {
    return this.#inFlight - this.queueSize;
  }

  /**
   * Processes a readout on a worker and returns the FITS bytes (by transfer). Rejects at once (the
   * check is synchronous) with ServerBusyError when the queue is full, InvalidArgumentError for a
   * bad task; later with AbortedError when control.abort was set, ReadoutError when the worker
   * failed or died. task.raw, if any, is transferred: the caller's array is detached.
   */
  run(task: ReadoutTask, control?: ReadoutControl): Promise<ReadoutResult> {
    try {
      return this.#start({ task, control });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Processes a readout on a worker, which writes the file (ImageStore.write, so nothing partial,
   * and nothing at all once aborted) and sends back no bytes. Fails as `run` does, and with the
   * image store's errors; but a readout that is not accepted (busy, closing, bad task) throws here
   * and now: once this returns, the task is the pool's, and the camera that produced it is free.
   */
  submit(task: ReadoutTask, output: ReadoutOutput, control?: ReadoutControl): Promise<WrittenReadout> {
    return this.#start({ task, control, output });
  }

  #start<R extends ReadoutResult | WrittenReadout>(job: ReadoutJob): Promise<R> {
    this.#admit(job.task);
    this.#inFlight++;
    // Inline jobs overlap while writing, so each needs a file buffer of its own.
    const work = this.#pool ? this.#pool.run(job, { transferList: transferList(job.task) }) : runJob(job, this.#scratch, { fitsInScratch: false });
    return (work as Promise<R>).then(
      (result) => {
        this.#inFlight--;
        return result;
      },
      (error: unknown) => {
        this.#inFlight--;
        throw readoutFailure(error, job.control);
      },
    );
  }

  #admit(task: ReadoutTask): void {
    if (this.#closing) throw new ShuttingDownError();
    // Counted here, synchronously: running + queued may not exceed threads + maxQueue.
    if (this.#pool && this.#inFlight >= this.threads + this.maxQueue) {
      log.warn('readout pool busy, readout refused', { threads: this.threads, maxQueue: this.maxQueue });
      throw new ServerBusyError();
    }
    validateTask(task);
  }

  /** Waits for the readouts already accepted, then stops the threads. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    if (!this.#pool) return;
    await this.#pool.close();
    await this.#pool.destroy();
  }
}

function transferList(task: ReadoutTask): ArrayBuffer[] {
  return task.raw && task.raw.buffer instanceof ArrayBuffer ? [task.raw.buffer] : [];
}

/** What a failed readout reports: our own errors as they are, anything else as ReadoutError. */
function readoutFailure(thrown: unknown, control: ReadoutControl | undefined): Error {
  const error = revived(thrown);
  if (isAborted(control) || error instanceof AbortedError) return new AbortedError('readout');
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/queue is at limit/i.test(message)) return new ServerBusyError();
  log.warn('readout failed', { error: message });
  return new ReadoutError(`readout failed: ${message}`);
}
