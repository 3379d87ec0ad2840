import type { Clock, Timer } from '../../lib/clock.js';

interface Pending {
  due: number;
  order: number;
  callback: () => void;
}

/** 2025-01-01T00:00:00Z: a fixed start so that dates in headers are predictable. */
export const MANUAL_EPOCH = Date.UTC(2025, 0, 1);

/** Lets the event loop run everything already queued (promise chains, I/O callbacks that are due). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when the test says so. `advance` fires due timers in time order (ties in
 * the order they were set), letting promise chains run after each, as real time would.
 */
export class ManualClock implements Clock {
  #now: number;
  #order = 0;
  #pending: Pending[] = [];
  #waiters: (() => void)[] = [];

  constructor(start = MANUAL_EPOCH) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): Timer {
    const timer: Pending = { due: this.#now + Math.max(0, delayMs), order: this.#order++, callback };
    this.#pending.push(timer);
    for (const wake of this.#waiters.splice(0)) wake();
    return { cancel: () => (this.#pending = this.#pending.filter((pending) => pending !== timer)) };
  }

  get pendingTimers(): number {
    return this.#pending.length;
  }

  /** Resolves once a timer is pending (e.g. an exposure has begun integrating). */
  async timerSet(): Promise<void> {
    while (this.#pending.length === 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (let next = this.#nextDue(target); next; next = this.#nextDue(target)) {
      this.#pending = this.#pending.filter((pending) => pending !== next);
      this.#now = next.due;
      next.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  #nextDue(limit: number): Pending | undefined {
    const due = this.#pending.filter((pending) => pending.due <= limit);
    return due.sort((a, b) => a.due - b.due || a.order - b.order)[0];
  }
}
