/**
 * A reference for parallel efficiency: the same pure ALU loop (no memory traffic, no sharing) on
 * w threads at once. time(1) / time(w) is ~1 up to the core count on an idle machine; below that,
 * other load or shared physical cores cap what any parallel code can reach there.
 */
import { Worker } from 'node:worker_threads';

/** Iterations of the loop: about 0.2 s on one core of the machine it was written on. */
const ITERATIONS = 4e7;

const LOOP = `
const { parentPort } = require('node:worker_threads');
const started = performance.now();
let x = 1;
for (let i = 0; i < ${ITERATIONS}; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
parentPort.postMessage({ ms: performance.now() - started, x });
`;

function loopMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOOP, { eval: true });
    worker.once('message', ({ ms }: { ms: number }) => {
      resolve(ms);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Wall time of `threads` loops at once, ms. */
export async function parallelLoopMs(threads: number): Promise<number> {
  const times = await Promise.all(Array.from({ length: threads }, loopMs));
  return Math.max(...times);
}

