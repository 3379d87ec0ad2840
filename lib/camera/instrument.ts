import { InvalidArgumentError } from '../errors.js';
import { arg, command, query, type ToolSpec } from '../dispatch/command.js';
import type { ResourceLock } from '../dispatch/locks.js';
import { pythonFloat } from '../protocol/reply.js';
import { setShutter, Shutter } from './controller.js';
import { headerCommands, type HeaderKeywords } from './header.js';
import { noOp } from './no-op.js';

export const DEFAULT_FILTERS: readonly string[] = ['clear', 'u', 'g', 'r', 'i', 'z'];
export const WAVELENGTH_RANGE_NM = { min: 200, max: 2000 } as const;
const DEFAULT_WAVELENGTH_NM = 500;
const SIMULATED_PRESSURE_TORR = 1.2e-6;

/** The instrument in front of the camera: a filter wheel with named filters and a monochromator. */
export class Instrument {
  readonly filters: readonly string[];
  readonly shutter = new Shutter();
  #filter: string;
  #wavelength = DEFAULT_WAVELENGTH_NM;
  #focus = 0;
  #comps: string[] = [];

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

  get focus(): number {
    return this.#focus;
  }

  /** The dewar vacuum gauge: a good vacuum, constant on the simulator. */
  get pressure(): number {
    return SIMULATED_PRESSURE_TORR;
  }

  get comps(): readonly string[] {
    return this.#comps;
  }

  setComps(names: readonly string[]): void {
    this.#comps = names.flatMap((name) => name.split(/\s+/)).filter((name) => name !== '' && name !== 'None');
  }

  /** `focus_type` absolute moves to `position`, step moves by it. */
  moveFocus(position: number, type: string): void {
    if (type !== 'absolute' && type !== 'step') throw new InvalidArgumentError(`invalid focus type: ${type} (use absolute or step)`);
    this.#focus = type === 'step' ? this.#focus + position : position;
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

/**
 * The `instrument` tool. Moving the wheel or the monochromator during an exposure is refused.
 * There is one filter wheel and one monochromator, so every mechanism id names the same one.
 */
export function instrumentTool(instrument: Instrument, exposureLock: ResourceLock, header: HeaderKeywords): ToolSpec {
  const idle = (): void => exposureLock.assertFree();
  return {
    description: 'Instrument: filter wheel, monochromator, focus, instrument shutter, pressure gauge',
    commands: [
      noOp('initialize', 'Initialize the tool'),
      noOp('reset', 'Reset the tool'),
      query('get_filters', 'Return the list of loaded filters', [arg.int('filter_id', 0)], () => [...instrument.filters]),
      query('get_filter', 'Return the filter in the beam', [arg.int('filter_id', 0)], () => instrument.filter),
      command('set_filter', 'Move a filter into the beam', [arg.str('filter_name'), arg.int('filter_id', 0)], ({ filter_name }) => {
        idle();
        instrument.selectFilter(filter_name);
      }),
      query('get_wavelengths', "Return the monochromator's range: shortest and longest wavelength (nm)", [arg.int('wavelength_id', 0)], () =>
        [WAVELENGTH_RANGE_NM.min, WAVELENGTH_RANGE_NM.max].map(pythonFloat),
      ),
      query('get_wavelength', 'Return the current wavelength (nm)', [arg.int('wavelength_id', 0)], () => pythonFloat(instrument.wavelength)),
      command('set_wavelength', 'Set the monochromator wavelength (nm)', [arg.float('wavelength'), arg.int('wavelength_id', 0)], ({ wavelength }) => {
        idle();
        instrument.setWavelength(wavelength);
      }),
      query('get_focus', 'Return the instrument focus position', [arg.int('focus_id', 0)], () => pythonFloat(instrument.focus)),
      command(
        'set_focus',
        'Move the focus to a position ("absolute") or by a step ("step")',
        [arg.float('focus_position'), arg.int('focus_id', 0), arg.str('focus_type', 'absolute')],
        ({ focus_position, focus_type }) => {
          idle();
          instrument.moveFocus(focus_position, focus_type);
        },
      ),
      query('get_pressures', 'Return all instrument pressures (Torr)', [], () => [pythonFloat(instrument.pressure)]),
      query('get_pressure', 'Return one instrument pressure (Torr)', [arg.int('pressure_id', 0)], () => pythonFloat(instrument.pressure)),
      command('set_shutter', 'Open (1) or close (0) the instrument shutter', [arg.int('state'), arg.int('shutter_id', 0)], ({ state }) => {
        idle();
        setShutter(instrument.shutter, state);
      }),
      query('get_all_comps', 'Return the comparison lamp names (none on the simulator)', [], () => []),
      query('get_comps', 'Return the active comparison lamps', [], () => [...instrument.comps]),
      command('set_comps', 'Set the active comparison lamps', [arg.words('comp_names')], ({ comp_names }) => instrument.setComps(comp_names)),
      noOp('comps_on', 'Turn on the active comparison lamps'),
      noOp('comps_off', 'Turn off the active comparison lamps'),
      ...headerCommands(header),
    ],
  };
}
