import { systemClock, type Clock, type Timer } from './clock.js';
import { log } from './log.js';

/**
 * A warning that a flood could repeat thousands of times a second (one per refused request): logged
 * at most once per interval. The ones held back are counted, and the count is logged on a line of
 * its own at the interval's end, so the last interval of a flood is reported too.
 */
export class ThrottledWarning {
  #loggedAt = Number.NEGATIVE_INFINITY;
  #heldBack = 0;
  #report: Timer | undefined;

  constructor(
    private readonly message: string,
    private readonly intervalMs = 60_000,
    private readonly clock: Clock = systemClock,
  ) {}

  warn(meta: Record<string, unknown>): void {
    const now = this.clock.now();
    if (now - this.#loggedAt < this.intervalMs) return this.#holdBack(now);
    this.reportHeldBack(); // the interval has ended, but a busy event loop may not have run its report yet
    log.warn(this.message, meta);
    this.#loggedAt = now;
  }

  /** Logs the count held back so far, if any, now rather than at the interval's end (when stopping). */
  reportHeldBack(): void {
    this.#report?.cancel();
    this.#report = undefined;
    if (this.#heldBack > 0) log.warn(this.message, { heldBack: this.#heldBack });
    this.#heldBack = 0;
  }

  #holdBack(now: number): void {
    if (this.#heldBack++ > 0) return;
    this.#report = this.clock.setTimeout(() => this.reportHeldBack(), this.#loggedAt + this.intervalMs - now, { unref: true });
  }
}
