/** Piscina entry for readout processing: runs the job (lib/readout/job.ts), which writes the file here. */
import { setPriority } from 'node:os';
import { portableError, runJob, Turns, type ReadoutJob, type WrittenReadout } from '../lib/readout/job.js';
import { Scratch } from '../lib/readout/scratch.js';

// Readout threads yield to the main thread: on Linux a thread's nice value is its own, so when
// both want a core the main thread, answering light commands, gets it (measured: light-command
// p99 during back-to-back readouts 2.4 -> 0.6 ms on 2 cores, readout rate unchanged). Nice 10,
// not 19: the main thread wins as clearly (loaded p99 4.0 vs 4.9 ms in one run), but beside two
// CPU-bound processes at nice 0 a readout still gets a tenth of a core (0.50 frames/s) instead
// of a seventieth (0.07 frames/s, every blocking expose timing out).
setPriority(10);

/** This thread's work buffers, reused from one readout to the next. */
const scratch = new Scratch();
/** The pool gives a thread several jobs at once (READOUTS_PER_THREAD); they take turns with the scratch (see runJob). */
const turns = new Turns();

export default async function readout(job: ReadoutJob): Promise<WrittenReadout> {
  try {
    return await runJob(job, scratch, { fitsInScratch: true }, turns);
  } catch (error) {
    throw portableError(error);
  }
}
