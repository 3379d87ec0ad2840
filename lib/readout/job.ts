/**
 * One readout on the thread that runs it (a worker's, or the caller's when inline): process, then
 * write the file; and the errors that cross back.
 */
import { CommandError, WorkerError, type PortableError } from '../errors.js';
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

/** A worker throws our errors as their code and message, which cross threads whole (see WorkerError). */
export function portableError(error: unknown): unknown {
  return error instanceof CommandError ? ({ code: error.code, message: error.message } satisfies PortableError) : error;
}

/** What a worker threw, on the main thread: ours as a WorkerError with its code and message, anything else as it came. */
export function revived(thrown: unknown): unknown {
  return isPortableError(thrown) ? new WorkerError(thrown) : thrown;
}

function isPortableError(thrown: unknown): thrown is PortableError {
  if (typeof thrown !== 'object' || thrown === null || thrown instanceof Error) return false;
  const { code, message } = thrown as Partial<PortableError>;
  return typeof code === 'string' && typeof message === 'string';
}
