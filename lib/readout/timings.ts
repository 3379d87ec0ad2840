/** Per-stage wall time of one readout, summed over each stage's calls. */
export interface StageTimings {
  simulateMs: number;
  deinterleaveMs: number;
  /** Overscan levels and bias subtraction (with the data statistics it gathers on the way). */
  overscanMs: number;
  /** ROI cut, binning and assembly. */
  binMs: number;
  /** Data statistics when they need their own pass (no bias subtraction). */
  statsMs: number;
  encodeMs: number;
  totalMs: number;
}

export type Stage = Exclude<keyof StageTimings, 'totalMs'>;

export class StageClock {
  readonly #start = performance.now();
  readonly #timings: StageTimings = {
    simulateMs: 0,
    deinterleaveMs: 0,
    overscanMs: 0,
    binMs: 0,
    statsMs: 0,
    encodeMs: 0,
    totalMs: 0,
  };

  time<T>(stage: Stage, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.#timings[stage] += performance.now() - start;
    }
  }

  done(): StageTimings {
    this.#timings.totalMs = performance.now() - this.#start;
    return { ...this.#timings };
  }
}

/** Timings to 0.1 ms, as a log shows them (the measurement is not finer than that). */
export function roundedTimings(timings: StageTimings): StageTimings {
  const entries = Object.entries(timings).map(([stage, ms]) => [stage, Math.round(ms * 10) / 10]);
  return Object.fromEntries(entries) as StageTimings;
}
