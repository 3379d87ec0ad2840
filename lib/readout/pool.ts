/**
 * The server's one readout worker pool: up to a fixed number of threads, kept alive while readouts
 * come (no start-up cost per readout; with `idleThreadMs`, a thread idle that long ends and gives
 * its memory back), and a bounded queue. Past the queue a readout fails at once with ServerBusyError.
 * A readout is written to its file by the worker itself: the FITS bytes never cross to the main
 * thread, whose GC would otherwise pause for them. Our own errors come back with their code and
 * message (see `portableError`; an abort is recognised by the request's abort flag), any other
 * worker failure as ReadoutError, and the pool replaces a worker that died.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AbortedError, CommandError, leavesImageWritten, ReadoutError, ServerBusyError, ShuttingDownError } from '../errors.js';
import { log } from '../log.js';
import { createReadoutControl, isAborted, requestAbort, takenBy, type ReadoutControl } from './control.js';
import { revived, runJob, type ReadoutJob, type WrittenReadout } from './job.js';
import { validateRequest } from './process.js';
import type { ReadoutRequest } from './request.js';
import { Scratch } from './scratch.js';
import { spreadingBalancer } from './spreading-balancer.js';

export { createReadoutControl } from './control.js';
export type { WrittenReadout } from './job.js';

export interface ReadoutPoolOptions {
  /** The data directory: every file a readout writes must be inside it. */
  root: string;
  /** Worker threads; default one per core. */
  threads?: number;
  /** Readouts that may wait for a thread; default 4 x threads. */
  maxQueue?: number;
  /** Process on the calling thread instead (benchmark comparison only: blocks the event loop). */
  inline?: boolean;
  /** Milliseconds after which an idle thread ends, returning its work buffers' memory; 0 keeps threads for good (the default). */
  idleThreadMs?: number;
  /** The compiled worker; default dist/workers/readout.js next to this module's dist/lib. */
  filename?: string;
}

const WORKER = new URL('../../workers/readout.js', import.meta.url).href;

/**
 * One thread per core: readout threads run at the lowest priority, so the main thread still wins a
 * contended core for light commands, and no core sits out the readouts (README, Performance).
 */
export function defaultThreads(): number {
  return availableParallelism();
}

/** The server's idle thread lifetime unless told otherwise: long enough to bridge a sequence's gaps. */
export const DEFAULT_THREAD_IDLE_SECONDS = 120;

/**
 * Readouts a thread holds at once. They take turns processing (the thread has one scratch), and
 * the others' files flush meanwhile. Three: a file's flush (the file, then its folder) takes
 * longer than the next frame's processing, and with two a thread waited for the disk (itl4k, 2
 * workers: 20.5-23.0 frames/s with two, 23.7-29.6 with three, side by side).
 */
export const READOUTS_PER_THREAD = 3;

/** Readouts that may wait for a thread unless told otherwise: four per thread. */
export function defaultMaxQueue(threads: number): number {
  return 4 * threads;
}

/** A job as the pool hands it over: with a control, whose abort flag the pool raises when it gives up on a job Piscina still holds, and which the thread marks taken. */
type PooledJob = ReadoutJob & { control: ReadoutControl };

export class ReadoutPool {
  readonly root: string;
  readonly threads: number;
  readonly maxQueue: number;
  readonly inline: boolean;
  readonly #pool: Piscina<ReadoutJob, WrittenReadout> | undefined;
  /** Inline mode's work buffers (nothing is allocated until used). */
  readonly #scratch = new Scratch();
  /** The readouts accepted and not yet settled. */
  readonly #inFlight = new Set<PooledJob>();
  /** How to fail each readout handed to Piscina and not yet settled (see #failWaitingIfNoThread). */
  readonly #waiting = new Set<(failure: ReadoutError) => void>();
  #closing: Promise<void> | undefined;

  constructor(options: ReadoutPoolOptions) {
    this.root = options.root;
    this.threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? defaultMaxQueue(this.threads)));
    this.inline = options.inline ?? false;
    const idleThreadMs = options.idleThreadMs ?? 0;
    const releasesIdle = idleThreadMs > 0;
    if (!this.inline) {
      this.#pool = new Piscina<ReadoutJob, WrittenReadout>({
        filename: options.filename ?? WORKER,
        // Idle threads may end (minThreads 0): a thread holds its scratch, hundreds of MB for large
        // detectors, which only its end returns; the next readout starts a thread again.
        minThreads: releasesIdle ? 0 : this.threads,
        maxThreads: this.threads,
        maxQueue: this.threads + this.maxQueue, // never reached: submit() refuses first
        idleTimeout: releasesIdle ? idleThreadMs : Infinity,
        // A thread processes its next readout while the disk flushes its last ones (workers/readout.ts).
        concurrentTasksPerWorker: READOUTS_PER_THREAD,
        // Readouts go to idle threads, and to threads started for them, before they share one.
        loadBalancer: spreadingBalancer(this.threads, READOUTS_PER_THREAD),
        // Piscina tries require() on the worker file before import(); Node 20's require(esm) of it
        // can abort the whole process (an assertion in CreateRequiredModuleFacade, seen in the test
        // suite). Without require(esm) that require() fails cleanly and Piscina imports the file.
        // Not the process's own flags: a V8 or process-wide one (`node --max-old-space-size=…`)
        // makes every worker refuse to start.
        execArgv: ['--no-experimental-require-module'],
      });
      // A worker that fails with no task on it: nothing to reply to, but worth a line in the log;
      // and if it was the thread started for the readouts waiting, they fail rather than wait for ever.
      this.#pool.on('error', (error: Error) => {
        log.warn('readout worker failed', { error: error.message });
        this.#failWaitingIfNoThread(error);
      });
    }
  }

  /** Threads that have taken a readout and not yet finished it. */
  get busyThreads(): number {
    return new Set(this.#takers()).size;
  }

  /**
   * Threads running or starting now: up to `threads`, fewer once idle ones have ended. Inline, the
   * one thread is the calling thread, always there, which busyThreads counts while it holds a readout.
   */
  get liveThreads(): number {
    return this.#pool ? this.#pool.threads.length : 1;
  }

  /** Readouts waiting for a thread: in Piscina's queue, or handed to a thread that has not taken them yet (still starting, or busy processing). */
  get queueSize(): number {
    return this.#inFlight.size - this.running;
  }

  /** Readouts a thread has taken: being processed, flushed, or waiting for their thread's turn (READOUTS_PER_THREAD a thread). */
  get running(): number {
    return this.#takers().length;
  }

  /**
   * The thread of each readout taken, as the thread itself marks it (runJob). Piscina's own counts
   * would not do: its queueSize leaves out the readouts waiting for threads being started, and it
   * hands readouts to threads still starting.
   */
  #takers(): number[] {
    return [...this.#inFlight].map((job) => takenBy(job.control)).filter((thread) => thread !== undefined);
  }

  /**
   * Processes a readout on a worker, which writes the file (ImageStore.write, so nothing partial,
   * and nothing at all once aborted) and sends back only statistics and timings. A readout that is
   * not accepted throws here and now: ShuttingDownError, ServerBusyError when the queue is full,
   * InvalidArgumentError for a bad request; once this returns, the readout is the pool's, and the
   * camera that produced it is free. The promise rejects with AbortedError once the control's
   * abort is set, with the image store's errors, and with ReadoutError when the worker failed or
   * died.
   * request.raw, if any, is transferred: the caller's array is detached.
   */
  submit(request: ReadoutRequest, control?: ReadoutControl): Promise<WrittenReadout> {
    this.#admit(request);
    const job = { request, control: control ?? createReadoutControl(0), root: this.root };
    this.#inFlight.add(job);
    return this.#run(job)
      .catch((error: unknown) => {
        throw error instanceof GaveUp ? error.failure : readoutFailure(error, control);
      })
      .finally(() => this.#inFlight.delete(job));
  }

  /** The job on a worker (or inline); rejects with GaveUp when the pool fails it without a worker. */
  async #run(job: PooledJob): Promise<WrittenReadout> {
    if (!this.#pool) return runJob(job, this.#scratch, { fitsInScratch: false }); // inline jobs overlap once their writes begin: each gets a file buffer of its own
    let giveUp!: (failure: ReadoutError) => void;
    const gaveUp = new Promise<never>((_, reject) => (giveUp = (failure) => reject(new GaveUp(failure))));
    this.#waiting.add(giveUp);
    try {
      return await Promise.race([this.#handOver(job), gaveUp]);
    } catch (error) {
      // Piscina still holds the task: should a thread ever take it, it writes nothing.
      if (error instanceof GaveUp) requestAbort(job.control);
      throw error;
    } finally {
      this.#waiting.delete(giveUp);
    }
  }

  /** Piscina queues a task before it starts a thread for it, and throws at once if it cannot. */
  #handOver(job: ReadoutJob): Promise<WrittenReadout> {
    try {
      return this.#pool!.run(job, { transferList: transferList(job.request) });
    } catch (error) {
      log.warn('readout thread could not start', { error: (error as Error).message });
      return Promise.reject(new GaveUp(threadFailure(error as Error)));
    }
  }

  /**
   * Piscina starts threads as readouts come (minThreads 0), and a task waits in its queue for
   * the thread started for it; if that thread fails to start and none is left, nothing would ever
   * run the task: fail every readout still waiting.
   */
  #failWaitingIfNoThread(cause: Error): void {
    if ((this.#pool?.threads.length ?? 0) > 0) return;
    for (const giveUp of this.#waiting) giveUp(threadFailure(cause));
  }

  #admit(request: ReadoutRequest): void {
    if (this.#closing) throw new ShuttingDownError();
    // Counted here, synchronously: running + queued may not exceed threads + maxQueue.
    if (this.#pool && this.#inFlight.size >= this.threads + this.maxQueue) {
      log.warn('readout pool busy, readout refused', { threads: this.threads, maxQueue: this.maxQueue });
      throw new ServerBusyError();
    }
    validateRequest(request);
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

/** A readout the pool failed itself, with the error its command gets. */
class GaveUp {
  constructor(readonly failure: ReadoutError) {}
}

function threadFailure(cause: Error): ReadoutError {
  return new ReadoutError(`readout thread could not start: ${cause.message}`);
}

function transferList(request: ReadoutRequest): ArrayBuffer[] {
  return request.raw && request.raw.buffer instanceof ArrayBuffer ? [request.raw.buffer] : [];
}

/** What a failed readout reports: our own errors as they are, anything else as ReadoutError. */
function readoutFailure(thrown: unknown, control: ReadoutControl | undefined): Error {
  const error = revived(thrown);
  // An abort that came once the image had its name is too late: the image stays.
  if (isAborted(control) && !leavesImageWritten(error)) return new AbortedError('readout');
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  log.warn('readout failed', { error: message });
  return new ReadoutError(`readout failed: ${message}`);
}
