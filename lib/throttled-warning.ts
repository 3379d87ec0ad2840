import { systemClock, type Clock } from './clock.js';
import { log } from './log.js';

/**
 * A warning that a flood could repeat thousands of times a second (one per refused request): logged
 * at most once per interval; each line counts the ones held back since the line before.
 */
export class ThrottledWarning {
  #loggedAt = Number.NEGATIVE_INFINITY;
  #heldBack = 0;

  constructor(
    private readonly message: string,
    private readonly intervalMs = 60_000,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  warn(meta: Record<string, unknown>): void {
    const now = this.clock.now();
    if (now - this.#loggedAt < this.intervalMs) {
      this.#heldBack++;
      return;
    }
    log.warn(this.message, this.#heldBack > 0 ? { ...meta, heldBack: this.#heldBack } : meta);
    this.#loggedAt = now;
    this.#heldBack = 0;
  }
}
