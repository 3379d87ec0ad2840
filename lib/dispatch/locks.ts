import type { ResourceBusyError } from '../errors.js';

/**
 * A non-blocking lock on one resource (a camera). There is no global lock: each resource has its
 * own, and a command that finds it held fails at once with the resource's busy error instead of
 * waiting, so every other command stays answerable.
 */
export class ResourceLock {
  #holder: object | undefined;

  constructor(private readonly busy: () => ResourceBusyError) {}

  get isHeld(): boolean {
    return this.#holder !== undefined;
  }

  /**
   * Takes the lock or throws the busy error. Returns the release function: calling it more than
   * once is harmless, and it never releases a later holder's hold.
   */
  tryAcquire(): () => void {
    this.assertFree();
    const hold = {};
    this.#holder = hold;
    return () => {
      if (this.#holder === hold) this.#holder = undefined;
    };
  }

  /** Throws the busy error while the lock is held (for commands that must not run meanwhile). */
  assertFree(): void {
    if (this.#holder) throw this.busy();
  }
}
