/**
 * The readout worker of workers/readout.ts, held where the spec says (see held-threads.ts): its
 * thread's start, and each readout's return once the file is written, which the spec may turn
 * into the failure of a folder flush. Loaded into a pool through its `filename` option, never
 * imported.
 */
import { BroadcastChannel, threadId } from 'node:worker_threads';
import { ImageNotDurableError } from '../../lib/errors.js';
import { portableError, type ReadoutJob, type WrittenReadout } from '../../lib/readout/job.js';
import readout from '../../workers/readout.js';
import { HELD_CHANNEL, LET_ALL_GO } from './held-threads.js';

const channel = new BroadcastChannel(HELD_CHANNEL);
const answers = new Map<string, () => void>();
let allLetGo = false;
channel.onmessage = (event) => {
  const message = String(event.data);
  if (message === LET_ALL_GO) allLetGo = true;
  for (const [answer, goOn] of answers) if (allLetGo || answer === message) goOn();
};

await held(`starting ${threadId}`, `start ${threadId}`);

export default async function heldReadout(job: ReadoutJob): Promise<WrittenReadout> {
  const { filename } = job.request;
  const written = await readout(job);
  const unflushed = await Promise.race([held(`written ${filename}`, `finish ${filename}`).then(() => false), held('', `unflushed ${filename}`).then(() => true)]);
  if (unflushed) throw portableError(new ImageNotDurableError(`image ${filename} written, but its folder could not be flushed: EIO`));
  return written;
}

/** Tells the spec `said` (if anything), then waits for its `answer`. */
function held(said: string, answer: string): Promise<void> {
  if (allLetGo) return Promise.resolve();
  return new Promise((resolve) => {
    answers.set(answer, () => {
      answers.delete(answer);
      resolve();
    });
    if (said) channel.postMessage(said);
  });
}
