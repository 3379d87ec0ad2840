/**
 * One readout on the thread that runs it (a worker's, or the caller's when inline): process, then
 * write the file; and the errors that cross back.
 */
import { CommandError, InvalidArgumentError, PermissionError, ReadoutError } from '../errors.js';
import { ImageStore } from '../storage/image-store.js';
import { markWriting, throwIfAborted, type ReadoutControl } from './control.js';
import { processReadout, type ProcessOptions, type StageTimings } from './process.js';
import type { ReadoutRequest } from './request.js';
import type { Scratch } from './scratch.js';
import type { AmpStats } from './stats.js';

/** What the pool hands a worker (workers/readout.ts): the request, the shared control, and the image store's root. */
export interface ReadoutJob {
  request: ReadoutRequest;
  control?: ReadoutControl;
  /** The data directory: the file's folder is checked against it again where it is written. */
  root: string;
}

/** A readout written to its file by the thread that processed it. */
export interface WrittenReadout {
  stats: AmpStats[];
  timings: StageTimings & { writeMs: number };
  /** The file's size. */
  bytes: number;
}

/**
 * Processes the request and writes its file, checking the abort flag before the write starts and
 * again before the file gets its final name.
 */
export async function runJob({ request, control, root }: ReadoutJob, scratch: Scratch, options: ProcessOptions): Promise<WrittenReadout> {
  const { fits, stats, timings } = processReadout(request, control, scratch, options);
  throwIfAborted(control);
  markWriting(control);
  const started = performance.now();
  await new ImageStore(root).write(request.filename, fits, request.overwrite, () => throwIfAborted(control));
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
