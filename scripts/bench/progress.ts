/**
 * What the scenarios tell a progress display. The bench script shows it with cli-progress on
 * stderr; tests and `--json` runs pass SILENT.
 */
export interface Progress {
  /** A new phase of `total` units (seconds or frames). */
  begin(label: string, total: number): void;
  update(done: number): void;
  end(): void;
}

export const SILENT: Progress = {
  begin: () => undefined,
  update: () => undefined,
  end: () => undefined,
};

const TICK_MS = 200;

/**
 * Shows a phase that lasts `ms` as elapsed seconds, until the returned function ends it. The
 * timer is unref'd, so a forgotten phase never keeps the process alive.
 */
function showElapsed(progress: Progress, label: string, ms: number): () => void {
  const started = performance.now();
  const seconds = Math.max(0.1, Math.round(ms / 100) / 10);
  progress.begin(label, seconds);
  const timer = setInterval(() => progress.update(Math.min(seconds, Math.round((performance.now() - started) / 100) / 10)), TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    progress.update(seconds);
    progress.end();
  };
}

/** Runs `work` while showing it as a timed phase. */
export async function timedPhase<T>(progress: Progress, label: string, ms: number, work: () => Promise<T>): Promise<T> {
  const end = showElapsed(progress, label, ms);
  try {
    return await work();
  } finally {
    end();
  }
}
