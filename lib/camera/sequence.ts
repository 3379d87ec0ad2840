/**
 * azcam's exposure sequences: `sequence` takes N exposures with the current settings, flushing
 * and pausing between them as asked; `guide` takes object exposures until N are done (or for
 * ever) — azcam's guide mode. An abort stops the exposure under way and the rest of the sequence.
 */
import type { Clock, Timer } from '../clock.js';
import type { Session } from '../dispatch/session.js';
import { ExposureInProgressError, InvalidArgumentError } from '../errors.js';
import { log } from '../log.js';
import type { ExposeSettings, ExposureOutcome, ExposureTool } from './exposure.js';
import { UNCHANGED } from './parameters.js';

/** azcam's `exposure_sequence_flush`: 0 flush before each exposure, 1 before the first only, 2 never. */
export const SEQUENCE_FLUSH = { EACH: 0, FIRST: 1, NONE: 2 } as const;

/** What azcam keeps between sequences (`exposuresequencetotal`, `...delay`, `...flush`). */
export interface SequenceSettings {
  total: number;
  delaySeconds: number;
  flush: number;
}

interface Running {
  number: number;
  total: number;
  aborted: boolean;
  wake(): void;
}

const GUIDE: Partial<ExposeSettings> = { imagetype: 'object', imagetitle: 'guide image' };
const FOREVER = -1;

export class Sequencer {
  readonly settings: SequenceSettings = { total: 1, delaySeconds: 0, flush: SEQUENCE_FLUSH.EACH };
  #running: Running | undefined;

  constructor(
    private readonly exposure: ExposureTool,
    private readonly clock: Clock,
  ) {}

  /** The exposure under way and how many the sequence takes; undefined when none runs. */
  get progress(): { number: number; total: number } | undefined {
    return this.#running && { number: this.#running.number, total: this.#running.total };
  }

  /** -1 for the number, flush flag or delay keeps the saved setting; the others are saved. */
  async sequence(numberExposures: number, flushFlag: number, delaySeconds: number, session: Session): Promise<void> {
    const total = numberExposures === UNCHANGED ? this.settings.total : positive(numberExposures, 'number of exposures');
    const flush = flushFlag === UNCHANGED ? this.settings.flush : flushSetting(flushFlag);
    const delay = delaySeconds === UNCHANGED ? this.settings.delaySeconds : positive(delaySeconds, 'delay');
    Object.assign(this.settings, { total, flush, delaySeconds: delay });
    await this.#run(total, session, {}, (index) => flush === SEQUENCE_FLUSH.EACH || (flush === SEQUENCE_FLUSH.FIRST && index === 0), delay);
  }

  /** azcam's guide mode: object exposures titled "guide image", N of them or (-1) until aborted. */
  async guide(numberExposures: number, session: Session): Promise<void> {
    const total = numberExposures === FOREVER ? Number.POSITIVE_INFINITY : positive(numberExposures, 'number of exposures');
    await this.#run(total, session, GUIDE, () => undefined, 0);
  }

  /** Stops the sequence after (and with) the exposure under way. */
  abort(): void {
    if (!this.#running) return;
    this.#running.aborted = true;
    this.#running.wake();
  }

  /** Runs `run` in the background (`sequence1`, `guide1`): its failure is logged (and in get_status). */
  inBackground(name: string, run: Promise<void>): void {
    run.catch((error: unknown) => log.warn(`${name} stopped`, { reason: (error as Error).message }));
  }

  /** `flushBefore` tells each exposure whether to flush first; undefined leaves it to `flusharray`. */
  async #run(total: number, session: Session, settings: Partial<ExposeSettings>, flushBefore: (index: number) => boolean | undefined, delaySeconds: number): Promise<void> {
    if (this.#running) throw new ExposureInProgressError();
    const running: Running = { number: 1, total, aborted: false, wake: () => undefined };
    this.#running = running;
    try {
      for (let index = 0; index < total && !running.aborted; index++, running.number++) {
        if (index > 0) await this.#pause(running, delaySeconds);
        if (running.aborted) break;
        const outcome: ExposureOutcome = await this.exposure.expose(settings, session, flushBefore(index));
        if (outcome === 'aborted') break;
      }
    } finally {
      this.#running = undefined;
    }
  }

  #pause(running: Running, seconds: number): Promise<void> {
    if (seconds <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer: Timer = this.clock.setTimeout(resolve, seconds * 1000);
      running.wake = () => {
        timer.cancel();
        resolve();
      };
    });
  }
}

function positive(value: number, what: string): number {
  if (value < 0) throw new InvalidArgumentError(`invalid ${what}: ${value}`);
  return value;
}

export function flushSetting(flag: number): number {
  if (!(Object.values(SEQUENCE_FLUSH) as number[]).includes(flag)) throw new InvalidArgumentError(`invalid flush array flag: ${flag} (use -1, 0, 1 or 2)`);
  return flag;
}
