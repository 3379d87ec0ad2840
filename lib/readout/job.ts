/**
 * One readout on the thread that runs it (a worker's, or the caller's when inline): process, then
 * write the file; and the errors that cross back.
 */
import { CommandError, WorkerError, type PortableError } from '../errors.js';
import { ImageStore } from '../storage/image-store.js';
import { markTaken, markWriting, throwIfAborted, type ReadoutControl } from './control.js';
import { processReadout, type ProcessOptions, type StageTimings } from './process.js';
import { makePreview, type Preview } from './preview.js';
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
  /**
   * previewMs: making the preview; writeMs: from the write's start until the file has its final
   * name and its folders are flushed; flushMs: the flush of the file, its rename and the folders' flush.
   */
  timings: StageTimings & { previewMs: number; writeMs: number; flushMs: number };
  /** The file's size. */
  bytes: number;
  /** A small picture of the frame for the status page. */
  preview: Preview;
}

/**
 * Marks the job taken by this thread (the pool counts it as running from then on), then processes
 * the request, makes its preview and writes its file, checking the abort flag before the write
 * starts and again before the file gets its final name. With `turns`, the processing,
 * the preview and the copy of the bytes into the file take one turn (they use the thread's
 * scratch), and the flush is left out of it: a thread that runs several jobs at once processes
 * the next frame while the disk flushes the last ones.
 */
export async function runJob({ request, control, root }: ReadoutJob, scratch: Scratch, options: ProcessOptions, turns?: Turns): Promise<WrittenReadout> {
  markTaken(control);
  const endTurn = turns ? await turns.take() : () => undefined;
  try {
    const { fits, stats, timings, raw } = processReadout(request, control, scratch, options);
    // From the raw stream, in the scratch the thread's next job reuses once this one's bytes are written.
    const previewStarted = performance.now();
    const preview = makePreview(raw, request.geometry, request.roi, biasLevels(stats));
    const previewMs = performance.now() - previewStarted;
    throwIfAborted(control);
    markWriting(control);
    const started = performance.now();
    let flushing = started;
    const written = (): void => {
      flushing = performance.now();
      endTurn();
    };
    await new ImageStore(root).write(request.filename, fits, request.overwrite, { beforeCommit: () => throwIfAborted(control), written });
    const done = performance.now();
    return { stats, timings: { ...timings, previewMs, writeMs: done - started, flushMs: done - flushing }, bytes: fits.byteLength, preview };
  } finally {
    endTurn();
  }
}

/** Each amp's bias level by amp index (amps left out of the ROI have none). */
function biasLevels(stats: readonly AmpStats[]): number[] {
  const levels: number[] = [];
  for (const amp of stats) levels[amp.amp - 1] = amp.biasLevel;
  return levels;
}

/** Sections run one at a time, in the order they asked. */
export class Turns {
  #last: Promise<void> = Promise.resolve();

  /** Resolves when the caller's turn has come, with the function that ends it (safe to call twice). */
  async take(): Promise<() => void> {
    let end!: () => void;
    const turn = new Promise<void>((resolve) => {
      end = resolve;
    });
    const before = this.#last;
    this.#last = before.then(() => turn);
    await before;
    return end;
  }
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
