/**
 * Abort flag and progress shared between the main thread and a readout worker through one
 * SharedArrayBuffer, so neither needs a message: the main thread raises ABORT, the worker polls it
 * between rows; the worker counts DONE up to TOTAL (raw-stream pixels, all stages together), the
 * main thread reads them for pixels remaining, WRITING once the worker writes the file
 * (READOUT → WRITING), and THREAD once a thread has taken the job (the pool's gauges).
 */
import { threadId } from 'node:worker_threads';
import { AbortedError } from '../errors.js';

/** The slots of the shared array, by who writes them. */
const SLOT = {
  /** Main thread: non-zero asks the worker to stop. */
  ABORT: 0,
  /** Worker: raw pixels processed so far. */
  DONE: 1,
  /** Worker (the main thread's estimate until it starts): raw pixels in all. */
  TOTAL: 2,
  /** Worker: non-zero once the pixels are processed and the file is being written. */
  WRITING: 3,
  /** Worker (the main thread inline): its threadId + 1 once it has taken the job (the main thread's id is 0); 0 before. */
  THREAD: 4,
} as const;

const SLOTS = Object.keys(SLOT).length;

export interface ReadoutControl {
  /** Int32 slots over a SharedArrayBuffer, named by SLOT. */
  readonly shared: Int32Array;
}

export interface ReadoutProgress {
  done: number;
  total: number;
  /** 0..1 */
  fraction: number;
}

export function createReadoutControl(totalPixels: number): ReadoutControl {
  const shared = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  Atomics.store(shared, SLOT.TOTAL, totalPixels);
  return { shared };
}

export function requestAbort(control: ReadoutControl): void {
  Atomics.store(control.shared, SLOT.ABORT, 1);
}

export function isAborted(control: ReadoutControl | undefined): boolean {
  return control !== undefined && Atomics.load(control.shared, SLOT.ABORT) !== 0;
}

export function throwIfAborted(control: ReadoutControl | undefined): void {
  if (isAborted(control)) throw new AbortedError('readout');
}

/** The worker side: the pixels are processed, the file is being written. */
export function markWriting(control: ReadoutControl | undefined): void {
  if (control) Atomics.store(control.shared, SLOT.WRITING, 1);
}

export function isWriting(control: ReadoutControl): boolean {
  return Atomics.load(control.shared, SLOT.WRITING) !== 0;
}

/** The thread side: this thread has taken the job (which may still wait for its turn). */
export function markTaken(control: ReadoutControl | undefined): void {
  if (control) Atomics.store(control.shared, SLOT.THREAD, threadId + 1);
}

/** The threadId of the thread that has taken the job, or undefined while none has. */
export function takenBy(control: ReadoutControl): number | undefined {
  const thread = Atomics.load(control.shared, SLOT.THREAD);
  return thread === 0 ? undefined : thread - 1;
}

export function readProgress(control: ReadoutControl): ReadoutProgress {
  const done = Atomics.load(control.shared, SLOT.DONE);
  const total = Atomics.load(control.shared, SLOT.TOTAL);
  return { done, total, fraction: total > 0 ? Math.min(1, done / total) : 0 };
}

/** The worker side: progress so far, in raw pixels. */
function storeDone(control: ReadoutControl, done: number): void {
  Atomics.store(control.shared, SLOT.DONE, done);
}

/** Reports a stage's progress (in its own units) and throws AbortedError when abort is set. */
export type StepFn = (done: number) => void;

/**
 * The worker side: splits the total into stages by share, maps each stage's own units (rows, amps)
 * onto it, and checks the abort flag at every step.
 */
export class ReadoutMonitor {
  #base = 0;
  #span = 0;

  constructor(
    private readonly control: ReadoutControl | undefined,
    private readonly total: number,
  ) {
    if (control) {
      Atomics.store(control.shared, SLOT.TOTAL, total);
      storeDone(control, 0);
    }
  }

  /** Throws AbortedError if the main thread asked to stop. */
  check(): void {
    throwIfAborted(this.control);
  }

  /** Starts the next stage, worth `share` (0..1) of the total, counted in `units`. */
  stage(share: number, units: number): StepFn {
    this.#base += this.#span;
    this.#span = Math.min(this.total - this.#base, Math.round(share * this.total));
    const base = this.#base;
    const span = this.#span;
    const control = this.control;
    return (done) => {
      if (!control) return;
      throwIfAborted(control);
      storeDone(control, base + Math.floor((span * Math.min(done, units)) / Math.max(units, 1)));
    };
  }

  finish(): void {
    this.#base = this.total;
    this.#span = 0;
    if (this.control) storeDone(this.control, this.total);
  }
}
