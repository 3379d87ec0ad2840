import type { Clock, Timer } from '../clock.js';

/** An exposure's integration: a countdown that can be paused, resumed and cancelled. */
export class IntegrationTimer {
  /** Resolves when the full time has been integrated; rejects with the reason given to cancel(). */
  readonly done: Promise<void>;
  readonly #clock: Clock;
  #remainingMs: number;
  /** When the running stretch began; undefined while paused or finished. */
  #runningSince: number | undefined;
  #timer: Timer | undefined;
  #settled = false;
  #resolve!: () => void;
  #reject!: (reason: Error) => void;

  constructor(
    clock: Clock,
    readonly durationMs: number,
  ) {
    this.#clock = clock;
    this.#remainingMs = durationMs;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#run();
  }

  /** How long light has been integrated: all of `durationMs` unless ended early. */
  get integratedMs(): number {
    return this.durationMs - this.remainingMs;
  }

  get remainingMs(): number {
    if (this.#runningSince === undefined) return this.#remainingMs;
    return Math.max(0, this.#remainingMs - (this.#clock.now() - this.#runningSince));
  }

  pause(): void {
    if (this.#runningSince === undefined) return;
    this.#remainingMs = this.remainingMs;
    this.#stop();
  }

  resume(): void {
    if (this.#runningSince === undefined && !this.#settled) this.#run();
  }

  /** Ends the integration now, running or paused, as if its time were up (`integratedMs` tells how long it ran). */
  finishEarly(): void {
    if (this.#settled) return;
    this.pause();
    this.#settled = true;
    this.#resolve();
  }

  cancel(reason: Error): void {
    this.#stop();
    this.#settled = true;
    this.#reject(reason);
  }

  #run(): void {
    this.#runningSince = this.#clock.now();
    this.#timer = this.#clock.setTimeout(() => {
      this.#remainingMs = 0;
      this.#runningSince = undefined;
      this.#settled = true;
      this.#resolve();
    }, this.#remainingMs);
  }

  #stop(): void {
    this.#timer?.cancel();
    this.#runningSince = undefined;
  }
}
