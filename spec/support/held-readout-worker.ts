/**
 * The readout worker of workers/readout.ts, held where the spec says (see held-threads.ts): its
 * thread's start, and each readout's return once the file is written. Loaded into a pool through
 * its `filename` option, never imported.
 */
import { BroadcastChannel, threadId } from 'node:worker_threads';
import type { ReadoutJob, WrittenReadout } from '../../lib/readout/job.js';
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
  const written = await readout(job);
  await held(`written ${job.request.filename}`, `finish ${job.request.filename}`);
  return written;
}

/** Tells the spec `said`, then waits for its `answer`. */
function held(said: string, answer: string): Promise<void> {
  if (allLetGo) return Promise.resolve();
  return new Promise((resolve) => {
    answers.set(answer, () => {
      answers.delete(answer);
      resolve();
    });
    channel.postMessage(said);
  });
}
