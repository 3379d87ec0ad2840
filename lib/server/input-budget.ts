/**
 * The bytes of received commands not yet run, over every connection. Past the limit every
 * connection stops reading; they resume once the total has fallen to half the limit, so the
 * server's memory for queued input is bounded however many clients flood it.
 */
export class InputBudget {
  #used = 0;
  readonly #waiting = new Set<() => void>();

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  get exhausted(): boolean {
    return this.#used >= this.limit;
  }

  take(bytes: number): void {
    this.#used += bytes;
  }

  give(bytes: number): void {
    this.#used -= bytes;
    if (this.#used > this.limit / 2 || this.#waiting.size === 0) return;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const resume of waiting) resume();
  }

  /** Calls `resume` once, when the total has fallen to half the limit. */
  whenAvailable(resume: () => void): void {
    this.#waiting.add(resume);
  }

  forget(resume: () => void): void {
    this.#waiting.delete(resume);
  }
}
