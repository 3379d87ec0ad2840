import type { Camera } from './camera/camera.js';
import { log } from './log.js';

/** What a graceful stop stops, in this order. */
export interface StopParts {
  /** Stops accepting and closes every connection once its running command has replied. */
  stopServer(): Promise<void>;
  cameras: readonly Camera[];
  /** Resolves once every readout handed to the pool has its file written, or has failed. */
  readoutsSettled(): Promise<void>;
  /** Stops the readout threads. */
  closePool(): Promise<void>;
  /** After this long, whatever still runs is aborted. */
  timeoutMs: number;
}

/**
 * Stops in bounded time without losing photons: new connections and new exposures are refused,
 * an exposure integrating or paused ends now and is read out with the time it integrated, readouts
 * under way finish, and running commands (an `expose` waiting for its file) reply. Whatever is
 * still running after `timeoutMs` is aborted, and that is logged. The parameters are saved last.
 */
export async function stopGracefully(parts: StopParts): Promise<void> {
  const { cameras, timeoutMs } = parts;
  const serverStopped = parts.stopServer();
  for (const camera of cameras) camera.exposures.endEarly();
  const finished = Promise.all([serverStopped, ...cameras.map((camera) => camera.settled())]).then(() => parts.readoutsSettled());
  if (!(await settlesWithin(finished, timeoutMs))) {
    const exposures = cameras.reduce((sum, camera) => sum + camera.exposures.count, 0);
    log.warn('stop timeout: aborting the exposures still running', { timeoutMs, exposures });
    for (const camera of cameras) camera.exposures.abortAll();
    await finished;
  }
  // The last changes (a sequence number given back by an aborted exposure) reach the parameter file.
  await Promise.all(cameras.map((camera) => camera.parameterStore.save().catch(() => undefined)));
  await parts.closePool();
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
