/**
 * Time and timers, injected wherever behaviour depends on time (exposure integration, temperature
 * drift), so that tests drive time by hand instead of sleeping (spec/support/manual-clock.ts).
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch (wall-clock time: it goes into DATE-OBS). */
  now(): number;
  /** Calls `callback` once, `delayMs` from now, unless cancelled first. */
  setTimeout(callback: () => void, delayMs: number): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};
