import { InvalidArgumentError } from '../errors.js';
import type { Call } from '../dispatch/registry.js';
import type { ResourceLock } from '../dispatch/locks.js';
import { pythonFloat } from '../protocol/reply.js';
import { word } from './replies.js';

export const DEFAULT_FILTERS: readonly string[] = ['clear', 'u', 'g', 'r', 'i', 'z'];
export const WAVELENGTH_RANGE_NM = { min: 200, max: 2000 } as const;
const DEFAULT_WAVELENGTH_NM = 500;

/** The instrument in front of the camera: a filter wheel with named filters and a monochromator. */
export class Instrument {
  readonly filters: readonly string[];
  #filter: string;
  #wavelength = DEFAULT_WAVELENGTH_NM;

  constructor(filters: readonly string[] = DEFAULT_FILTERS) {
    if (filters.length === 0) throw new InvalidArgumentError('a filter wheel needs at least one filter');
    this.filters = [...filters];
    this.#filter = filters[0]!;
  }

  get filter(): string {
    return this.#filter;
  }

  get wavelength(): number {
    return this.#wavelength;
  }

  /** Filter names are case-sensitive (Johnson U is not SDSS u). */
  selectFilter(name: string): void {
    if (!this.filters.includes(name)) throw new InvalidArgumentError(`unknown filter: ${name} (filters: ${this.filters.join(', ')})`);
    this.#filter = name;
  }

  setWavelength(nm: number): void {
    if (nm < WAVELENGTH_RANGE_NM.min || nm > WAVELENGTH_RANGE_NM.max) {
      throw new InvalidArgumentError(`invalid wavelength: ${nm} (must be ${WAVELENGTH_RANGE_NM.min} to ${WAVELENGTH_RANGE_NM.max} nm)`);
    }
    this.#wavelength = nm;
  }
}

/** The `instrument` tool. Moving the wheel or the monochromator during an exposure is refused. */
export class InstrumentTool {
  readonly #instrument: Instrument;
  readonly #exposureLock: ResourceLock;

  constructor(instrument: Instrument, exposureLock: ResourceLock) {
    this.#instrument = instrument;
    this.#exposureLock = exposureLock;
  }

  get_filters({ args }: Call): string[] {
    args.atMost(0);
    return [...this.#instrument.filters];
  }

  get_filter({ args }: Call): string[] {
    args.atMost(0);
    return word(this.#instrument.filter);
  }

  set_filter({ args }: Call): void {
    const name = args.atMost(1).string(0, 'filter');
    this.#exposureLock.assertFree();
    this.#instrument.selectFilter(name);
  }

  get_wavelength({ args }: Call): string {
    args.atMost(0);
    return pythonFloat(this.#instrument.wavelength);
  }

  set_wavelength({ args }: Call): void {
    const nm = args.atMost(1).number(0, 'wavelength');
    this.#exposureLock.assertFree();
    this.#instrument.setWavelength(nm);
  }
}
