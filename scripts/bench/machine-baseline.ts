/**
 * References for parallel efficiency: the same loop on w threads at once, time(1) / time(w), which
 * is ~1 up to the core count on an idle machine; below that, other load or shared hardware caps
 * what any parallel code of that kind gets here now. Two kinds:
 * - alu: a pure ALU loop, no memory traffic, no sharing;
 * - memory: 36 MB copied from one buffer to another, over and over, the traffic of a readout (an
 *   itl4k frame's raw stream and its file are 36 MB each). On a VM the memory system is shared with
 *   the other vCPU and with other guests, and it may scale less than the ALU does.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export type BaselineKind = 'alu' | 'memory';

/**
 * Each loop takes about 0.2 s on one core of the machine it was written on; its setup is not timed,
 * and its result is sent back so that no compiler may drop it.
 */
const LOOPS: Record<BaselineKind, { setup: string; loop: string; result: string }> = {
  alu: {
    setup: 'let x = 1;',
    loop: 'for (let i = 0; i < 4e7; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;',
    result: 'x',
  },
  memory: {
    setup: 'const from = new Uint8Array(36e6).fill(1), to = new Uint8Array(36e6).fill(2);',
    loop: 'for (let i = 0; i < 60; i++) (i % 2 ? from : to).set(i % 2 ? to : from);',
    result: 'to[0]',
  },
};

/** The loop runs when told to, once its setup is done: the threads' loops start together. */
function loopSource(kind: BaselineKind): string {
  const { setup, loop, result } = LOOPS[kind];
  return `
    const { parentPort } = require('node:worker_threads');
    ${setup}
    parentPort.once('message', () => {
      const started = performance.now();
      ${loop}
      parentPort.postMessage({ ms: performance.now() - started, result: ${result} });
    });
    parentPort.postMessage('ready');`;
}

/** The loop on `threads` threads at once: the slowest thread's time, ms. */
async function parallelLoopMs(threads: number, kind: BaselineKind): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(loopSource(kind), { eval: true }));
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const times = workers.map(async (worker) => ((await once(worker, 'message')) as [{ ms: number }])[0].ms);
    for (const worker of workers) worker.postMessage('go');
    return Math.max(...(await Promise.all(times)));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

const TRIALS = 3;

/** time(1) / time(threads), the median of three trials of each: a single trial swings on a shared VM. */
export async function machineEfficiency(threads: number, kind: BaselineKind): Promise<number> {
  if (threads === 1) return 1;
  const ratios: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) ratios.push((await parallelLoopMs(1, kind)) / (await parallelLoopMs(threads, kind)));
  return ratios.sort((a, b) => a - b)[Math.floor(TRIALS / 2)]!;
}
