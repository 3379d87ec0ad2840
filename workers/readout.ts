/** Piscina entry for readout processing: runs the job (lib/readout/job.ts), which writes the file here. */
import { setPriority } from 'node:os';
import { portableError, runJob, type ReadoutJob, type WrittenReadout } from '../lib/readout/job.js';
import { Scratch } from '../lib/readout/scratch.js';

// Readout threads yield to the main thread: on Linux a thread's nice value is its own, so when
// both want a core the main thread, answering light commands, gets it (measured: light-command
// p99 during back-to-back readouts 2.4 -> 0.6 ms on 2 cores, readout rate unchanged).
setPriority(19);

/** This thread's work buffers, reused from one readout to the next. */
const scratch = new Scratch();

export default async function readout(job: ReadoutJob): Promise<WrittenReadout> {
  try {
    // One job at a time on this thread: the file is written before the scratch is used again.
    return await runJob(job, scratch, { fitsInScratch: true });
  } catch (error) {
    throw portableError(error);
  }
}
