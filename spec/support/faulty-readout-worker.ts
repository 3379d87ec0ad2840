/**
 * The readout worker of workers/readout.ts, failing on request as a buggy or crashing worker
 * would; loaded into a pool through its `filename` option (see faulty-pool.ts), never imported.
 */
import type { ReadoutJob, WrittenReadout } from '../../lib/readout/job.js';
import readout from '../../workers/readout.js';
import type { FaultyRequest } from './faulty-pool.js';

export default async function faultyReadout(job: ReadoutJob & { request: FaultyRequest }): Promise<WrittenReadout> {
  if (job.request.fault === 'throw') throw new Error('injected worker fault');
  if (job.request.fault === 'exit') process.exit(1);
  return readout(job);
}
