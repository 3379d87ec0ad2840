/**
 * Piscina entry for readout processing: revives what structured cloning flattened, runs the job
 * (lib/readout/job.ts runJob), and either writes the file here or hands the FITS bytes back by
 * transfer (no copy). Raw input arrives transferred.
 */
import { setPriority } from 'node:os';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { FitsFloat, type HeaderCard } from '../lib/readout/fits.js';
import { portableError, runJob, type ReadoutJob, type WrittenReadout } from '../lib/readout/job.js';
import type { ReadoutResult, ReadoutTask } from '../lib/readout/process.js';
import { Scratch } from '../lib/readout/scratch.js';

// Readout threads yield to the main thread: on Linux a thread's nice value is its own, so when
// both want a core the main thread, answering light commands, gets it (measured: light-command
// p99 during back-to-back readouts 2.4 -> 0.6 ms on 2 cores, readout rate unchanged).
setPriority(19);

/** This thread's work buffers, reused from one readout to the next. */
const scratch = new Scratch();

export default async function readout(job: ReadoutJob): Promise<ReadoutResult | WrittenReadout> {
  injectFault(job.task.fault);
  const task = { ...job.task, cards: reviveCards(job.task.cards) };
  try {
    // One job at a time on this thread: the file is written before the scratch is used again.
    const result = await runJob({ ...job, task }, scratch, { fitsInScratch: true });
    return 'fits' in result ? transferred(result) : result;
  } catch (error) {
    throw portableError(error);
  }
}

/** Test-only: fail the way a buggy or crashing worker would. */
function injectFault(fault: ReadoutTask['fault']): void {
  if (fault === 'throw') throw new Error('injected worker fault');
  if (fault === 'exit') process.exit(1);
}

/** FitsFloat cards lose their class crossing threads ({ value } arrives); make them FitsFloat again. */
function reviveCards(cards: HeaderCard[]): HeaderCard[] {
  return cards.map((card) => (isClonedFloat(card.value) ? { ...card, value: new FitsFloat(card.value.value) } : card));
}

function isClonedFloat(value: unknown): value is { value: number } {
  return typeof value === 'object' && value !== null && !(value instanceof FitsFloat) && typeof (value as { value?: unknown }).value === 'number';
}

/** Marks the result so Piscina transfers the FITS buffer instead of cloning it. */
function transferred(result: ReadoutResult): ReadoutResult {
  const { fits } = result;
  const whole = fits.byteOffset === 0 && fits.byteLength === fits.buffer.byteLength ? fits : fits.slice();
  const value = { ...result, fits: whole };
  return move({ [transferableSymbol]: [whole.buffer], [valueSymbol]: value }) as unknown as ReadoutResult;
}
