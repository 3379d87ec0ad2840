/**
 * Time and timers, injected wherever behaviour depends on time (exposure integration, temperature
 * drift), so that tests drive time by hand instead of sleeping (spec/support/manual-clock.ts).
 */
export interface Timer {
  cancel(): void;
}

export interface TimerOptions {
  /** The pending timer does not keep the process alive (Node's `unref`). */
  unref?: boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch (wall-clock time: it goes into DATE-OBS). */
  now(): number;
  /** Calls `callback` once, `delayMs` from now, unless cancelled first. */
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs, { unref = false } = {}) {
    const handle = setTimeout(callback, delayMs);
    if (unref) handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Resolves `delayMs` from now, or at once when `signal` aborts (the caller checks which). */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const wake = (): void => {
      timer.cancel();
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = clock.setTimeout(wake, delayMs);
    signal.addEventListener('abort', wake, { once: true });
  });
}
