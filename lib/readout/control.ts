/**
 * Abort flag and progress counter shared between the main thread and a readout worker through
 * SharedArrayBuffers, so neither needs a message: the main thread sets `abort[0]` to 1, the
 * worker polls it between rows; the worker stores its progress in `progress[0]` (0 ..
 * `progress[1]`, in raw-stream pixels), the main thread reads it for pixels remaining, and
 * `progress[2]` once the worker writes the file (READOUT → WRITING).
 */
import { AbortedError } from '../errors.js';

export interface ReadoutControl {
  /** [0]: non-zero asks the worker to stop. */
  abort: Int32Array;
  /** [0]: raw pixels processed so far (all stages together); [1]: the total; [2]: non-zero while writing the file. */
  progress: Int32Array;
}

export interface ReadoutProgress {
  done: number;
  total: number;
  /** 0..1 */
  fraction: number;
}

export function createReadoutControl(totalPixels: number): ReadoutControl {
  const control = {
    abort: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
    progress: new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)),
  };
  Atomics.store(control.progress, 1, totalPixels);
  return control;
}

export function requestAbort(control: ReadoutControl): void {
  Atomics.store(control.abort, 0, 1);
}

export function isAborted(control: ReadoutControl | undefined): boolean {
  return control !== undefined && Atomics.load(control.abort, 0) !== 0;
}

export function throwIfAborted(control: ReadoutControl | undefined): void {
  if (isAborted(control)) throw new AbortedError('readout');
}

/** The worker side: the pixels are processed, the file is being written. */
export function markWriting(control: ReadoutControl | undefined): void {
  if (control) Atomics.store(control.progress, 2, 1);
}

export function isWriting(control: ReadoutControl): boolean {
  return Atomics.load(control.progress, 2) !== 0;
}

export function readProgress(control: ReadoutControl): ReadoutProgress {
  const done = Atomics.load(control.progress, 0);
  const total = Atomics.load(control.progress, 1);
  return { done, total, fraction: total > 0 ? Math.min(1, done / total) : 0 };
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
      Atomics.store(control.progress, 1, total);
      Atomics.store(control.progress, 0, 0);
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
      if (Atomics.load(control.abort, 0) !== 0) throw new AbortedError('readout');
      Atomics.store(control.progress, 0, base + Math.floor((span * Math.min(done, units)) / Math.max(units, 1)));
    };
  }

  finish(): void {
    this.#base = this.total;
    this.#span = 0;
    if (this.control) Atomics.store(this.control.progress, 0, this.total);
  }
}
