/** Peak resident set size of the process (its worker threads included: they share it). */
export interface RssSampler {
  /** Stops sampling; returns the peak, bytes. */
  stop(): number;
}

export function sampleRss(intervalMs = 20): RssSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
