/**
 * An exposure's progress on stderr, for a person watching: one bar per phase (integrating, reading
 * out, writing), each only ever moving forward and showing the time left, then one line saying
 * how it ended (`written FILE`, `aborted`, or the error).
 */
import cliProgress from 'cli-progress';

/** The part of `exposure.get_status` the display uses. */
export interface ExposureStatus {
  exposurestate: string;
  progressbar: number;
  filename: string;
  message: string;
}

const PHASES: Record<string, string> = {
  EXPOSING: 'integrating',
  PAUSED: 'integrating (paused)',
  READOUT: 'reading out',
  WRITING: 'writing',
};

/** Show cursor, wrap lines: what a bar that was cut short by Ctrl-C may have left off. */
export const RESTORE_TERMINAL = '\x1b[?25h\x1b[?7h';

export class ExposureProgress {
  #bar: cliProgress.SingleBar | undefined;
  #phase = '';
  #value = 0;
  #held = false;

  /** What the bar shows now ('' before integration starts). */
  get shown(): { phase: string; percent: number } {
    return { phase: this.#phase, percent: this.#value };
  }

  show(status: ExposureStatus): void {
    const phase = PHASES[status.exposurestate];
    if (this.#held || !phase) return; // nothing to measure before integration starts
    if (phase !== this.#phase) this.#startBar(phase);
    this.#value = Math.max(this.#value, Number(status.progressbar) || 0);
    this.#bar!.update(this.#value, { phase });
  }

  /** Stops drawing and gives the terminal back. */
  pause(): void {
    this.#bar?.stop();
    this.#bar = undefined;
    this.#phase = '';
  }

  /** Draws nothing until release() (while Ctrl-C asks a question); then a new bar starts. */
  hold(): void {
    this.pause();
    this.#held = true;
  }

  release(): void {
    this.#held = false;
  }

  /** The last bar stays on screen, followed by `outcome`. */
  end(outcome: string): void {
    this.pause();
    process.stderr.write(`${outcome}\n`);
  }

  #startBar(phase: string): void {
    this.#bar?.stop();
    this.#phase = phase;
    this.#value = 0;
    this.#bar = new cliProgress.SingleBar(
      { format: '{phase} {bar} {percentage}% | {eta_formatted} left', hideCursor: true, etaBuffer: 4 },
      cliProgress.Presets.shades_classic,
    );
    this.#bar.start(100, 0, { phase });
  }
}

/** The end line for an exposure's last status: its error, `aborted`, or the file it wrote. */
export function outcomeOf(status: ExposureStatus): string {
  return status.message ? status.message : `written ${status.filename}`;
}
