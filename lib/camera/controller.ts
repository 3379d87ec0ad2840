import { InvalidArgumentError } from '../errors.js';
import type { Call } from '../dispatch/registry.js';
import type { ResourceLock } from '../dispatch/locks.js';

/** The camera shutter: the exposure opens and closes it, a client may too between exposures. */
export class Shutter {
  #open = false;

  get isOpen(): boolean {
    return this.#open;
  }

  open(): void {
    this.#open = true;
  }

  close(): void {
    this.#open = false;
  }
}

/** The `controller` tool. Its commands would disturb a running exposure, so they wait for none. */
export class ControllerTool {
  readonly #shutter: Shutter;
  readonly #exposureLock: ResourceLock;

  constructor(shutter: Shutter, exposureLock: ResourceLock) {
    this.#shutter = shutter;
    this.#exposureLock = exposureLock;
  }

  reset({ args }: Call): void {
    args.atMost(0);
    this.#exposureLock.assertFree();
    this.#shutter.close();
  }

  set_shutter({ args }: Call): void {
    const state = args.atMost(1).integer(0, 'shutter_state');
    if (state !== 0 && state !== 1) throw new InvalidArgumentError(`invalid shutter state: ${state} (use 0 or 1)`);
    this.#exposureLock.assertFree();
    if (state === 1) this.#shutter.open();
    else this.#shutter.close();
  }

  get_shutter({ args }: Call): number {
    args.atMost(0);
    return this.#shutter.isOpen ? 1 : 0;
  }
}
