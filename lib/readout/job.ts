/**
 * One readout job as the thread that runs it sees it (a worker's, or the caller's when inline):
 * process, then hand back the bytes or write the file; and the errors that cross back.
 */
import { CommandError, InvalidArgumentError, PermissionError, ReadoutError } from '../errors.js';
import { ImageStore } from '../storage/image-store.js';
import { markWriting, throwIfAborted, type ReadoutControl } from './control.js';
import { processReadout, type ProcessOptions, type ReadoutResult, type ReadoutTask, type StageTimings } from './process.js';
import type { Scratch } from './scratch.js';
import type { AmpStats } from './stats.js';

/** Where a readout's file goes: the image store's root (the folder's confinement is checked again where it is written). */
export interface ReadoutOutput {
  root: string;
  filename: string;
  overwrite: boolean;
}

/** What the pool hands a worker (workers/readout.ts): with `output`, the worker writes the file and sends back no bytes. */
export interface ReadoutJob {
  task: ReadoutTask;
  control?: ReadoutControl;
  output?: ReadoutOutput;
}

/** A readout written to its file by the thread that processed it. */
export interface WrittenReadout {
  stats: AmpStats[];
  timings: StageTimings & { writeMs: number };
  /** The file's size. */
  bytes: number;
}

/**
 * A job on the thread that runs it (a worker's, or the caller's when inline): the FITS bytes, or
 * with `output` the file written, checking the abort flag before it is started and again before
 * it gets its final name. `options` apply to the latter only: bytes that leave are never in scratch.
 */
export async function runJob(job: ReadoutJob, scratch: Scratch, options: ProcessOptions): Promise<ReadoutResult | WrittenReadout> {
  const { task, control, output } = job;
  if (!output) return processReadout(task, control, scratch);
  const { fits, stats, timings } = processReadout(task, control, scratch, options);
  throwIfAborted(control);
  markWriting(control);
  const started = performance.now();
  await new ImageStore(output.root).write(output.filename, fits, output.overwrite, () => throwIfAborted(control));
  return { stats, timings: { ...timings, writeMs: performance.now() - started }, bytes: fits.byteLength };
}

/**
 * A thrown error reaches the main thread as a plain Error: its class is lost, and with it the
 * knowledge that its message is meant for the client. So a worker throws ours as plain data,
 * which crosses whole, and the pool revives them.
 */
export function portableError(error: unknown): unknown {
  return error instanceof CommandError ? { commandError: error.name, message: error.message } : error;
}

interface PortableError {
  commandError: string;
  message: string;
}

/** Our errors that a worker may throw, revived by name; any other of ours as a CommandError. */
const WORKER_ERRORS: Record<string, new (message: string) => CommandError> = { InvalidArgumentError, PermissionError, ReadoutError };

export function revived(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || !('commandError' in error)) return error;
  const { commandError, message } = error as PortableError;
  const ErrorClass = Object.hasOwn(WORKER_ERRORS, commandError) ? WORKER_ERRORS[commandError] : CommandError;
  return new ErrorClass(message);
}
