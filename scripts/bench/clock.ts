/** The bench's one clock: monotonic nanoseconds from process.hrtime.bigint. */

export function now(): bigint {
  return process.hrtime.bigint();
}

export function nsToMs(ns: bigint | number): number {
  return Number(ns) / 1e6;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

/** Resolves at `time`, never before (timers may fire early by a fraction of a millisecond). */
export async function sleepUntil(time: bigint): Promise<void> {
  for (let ms = nsToMs(time - now()); ms > 0; ms = nsToMs(time - now())) {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** The measured part of a run: warm-up before `from` is excluded, nothing is sent from `until`. */
export interface Window {
  from: bigint;
  until: bigint;
}

export function windowFromNow(warmupMs: number, durationMs: number): Window {
  const from = now() + msToNs(warmupMs);
  return { from, until: from + msToNs(durationMs) };
}

export function windowSeconds(window: Window): number {
  return Number(window.until - window.from) / 1e9;
}
