/**
 * The server's one readout worker pool: a fixed number of threads kept alive (no start-up cost
 * per readout) and a bounded queue. Past the queue a readout fails at once with ServerBusyError.
 * Worker failures come back as ReadoutError (errors lose their class crossing threads, so an abort
 * is recognised by the task's abort flag), and the pool replaces a worker that died.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AbortedError, CommandError, ReadoutError, ServerBusyError, ShuttingDownError } from '../errors.js';
import { log } from '../log.js';
import { isAborted, type ReadoutControl } from './control.js';
import { processReadout, validateTask, type ReadoutResult, type ReadoutTask } from './process.js';
import { Scratch } from './scratch.js';

export { createReadoutControl } from './control.js';

/** What the pool hands a worker (workers/readout.ts). */
export interface ReadoutJob {
  task: ReadoutTask;
  control?: ReadoutControl;
}

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
  readonly #pool: Piscina<ReadoutJob, ReadoutResult> | undefined;
  readonly #scratch: Scratch | undefined;
  #inFlight = 0;
  #closing: Promise<void> | undefined;

  constructor(options: ReadoutPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? 4 * this.threads));
    this.inline = options.inline ?? false;
    if (this.inline) {
      this.#scratch = new Scratch();
    } else {
      this.#pool = new Piscina<ReadoutJob, ReadoutResult>({
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
   * Processes a readout on a worker. Rejects at once (the check is synchronous) with
   * ServerBusyError when the queue is full, InvalidArgumentError for a bad task; later with
   * AbortedError when control.abort was set, ReadoutError when the worker failed or died.
   * task.raw, if any, is transferred: the caller's array is detached.
   */
  run(task: ReadoutTask, control?: ReadoutControl): Promise<ReadoutResult> {
    try {
      return this.submit(task, control);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * As `run`, but a readout that is not accepted (busy, closing, bad task) throws here and now:
   * once this returns, the task is the pool's, and the camera that produced it is free.
   */
  submit(task: ReadoutTask, control?: ReadoutControl): Promise<ReadoutResult> {
    this.#admit(task);
    this.#inFlight++;
    const work = this.#pool ? this.#pool.run({ task, control }, { transferList: transferList(task) }) : runInline(task, control, this.#scratch);
    return work.then(
      (result) => {
        this.#inFlight--;
        return result;
      },
      (error: unknown) => {
        this.#inFlight--;
        throw readoutFailure(error, control);
      },
    );
  }

  #admit(task: ReadoutTask): void {
    if (this.#closing) throw new ShuttingDownError();
    // Counted here, synchronously: running + queued may not exceed threads + maxQueue.
    if (this.#pool && this.#inFlight >= this.threads + this.maxQueue) throw new ServerBusyError();
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

async function runInline(task: ReadoutTask, control?: ReadoutControl, scratch?: Scratch): Promise<ReadoutResult> {
  return processReadout(task, control, scratch);
}

/** What a failed readout reports: our own errors as they are, anything else as ReadoutError. */
function readoutFailure(error: unknown, control: ReadoutControl | undefined): Error {
  if (isAborted(control) || error instanceof AbortedError) return new AbortedError('readout');
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/queue is at limit/i.test(message)) return new ServerBusyError();
  log.warn('readout failed', { error: message });
  return new ReadoutError(`readout failed: ${message}`);
}
