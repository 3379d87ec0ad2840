/**
 * Latency samples and their percentiles. Samples are kept whole (a Float64Array that doubles as
 * it fills), so percentiles are exact, not estimated from buckets.
 */
import { nsToMs } from './clock.js';

export interface LatencySummary {
  count: number;
  /** Milliseconds; NaN when there are no samples. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/**
 * Nearest-rank percentile (the smallest sample with at least p% of the samples at or below it)
 * of ascending values; NaN when there are none.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be 0 to 100, got ${p}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[rank - 1];
}

export class LatencyRecorder {
  #samples = new Float64Array(1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** One latency, in nanoseconds. */
  record(ns: bigint | number): void {
    if (this.#count === this.#samples.length) {
      const grown = new Float64Array(2 * this.#samples.length);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[this.#count++] = Number(ns);
  }

  summary(): LatencySummary {
    const sorted = this.#samples.slice(0, this.#count).sort();
    let sum = 0;
    for (const sample of sorted) sum += sample;
    return {
      count: this.#count,
      p50Ms: nsToMs(percentile(sorted, 50)),
      p99Ms: nsToMs(percentile(sorted, 99)),
      maxMs: nsToMs(percentile(sorted, 100)),
      meanMs: this.#count ? nsToMs(sum / this.#count) : Number.NaN,
    };
  }
}
