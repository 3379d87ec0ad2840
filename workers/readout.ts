/** Piscina entry for readout processing: runs the job (lib/readout/job.ts), which writes the file here. */
import { setPriority } from 'node:os';
import { portableError, runJob, Turns, type ReadoutJob, type WrittenReadout } from '../lib/readout/job.js';
import { Scratch } from '../lib/readout/scratch.js';

// Readout threads yield to the main thread: on Linux a thread's nice value is its own, so when
// both want a core the main thread, answering light commands, gets it (measured: light-command
// p99 during back-to-back readouts 2.4 -> 0.6 ms on 2 cores, readout rate unchanged).
setPriority(19);

/** This thread's work buffers, reused from one readout to the next. */
const scratch = new Scratch();
/** The pool gives a thread two jobs at once; they take turns with the scratch (see runJob). */
const turns = new Turns();

/**
 * A thread idle this long lets go of its scratch, and V8's memory reducer returns it to the system
 * within seconds (measured: 460 MB for mosaic10k); the next readout pays the page faults again.
 */
const IDLE_MS = 10_000;
let jobs = 0;
let idle: NodeJS.Timeout | undefined;

export default async function readout(job: ReadoutJob): Promise<WrittenReadout> {
  jobs++;
  clearTimeout(idle);
  try {
    return await runJob(job, scratch, { fitsInScratch: true }, turns);
  } catch (error) {
    throw portableError(error);
  } finally {
    if (--jobs === 0) idle = setTimeout(() => scratch.clear(), IDLE_MS).unref();
  }
}
