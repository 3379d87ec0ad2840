/**
 * Simulated temperatures: the CCD drifts exponentially toward the control set point, the dewar
 * (cold base) holds its temperature, the ambient is fixed; both cold readings carry a little noise.
 * Everything is computed from the clock when asked (no background timers), and the noise is a hash
 * of the time, so readings are reproducible under a manual clock.
 */
import { InvalidArgumentError } from '../errors.js';
import { arg, command, query, type ToolSpec } from '../dispatch/command.js';
import type { Clock } from '../clock.js';
import { pythonFloat } from '../protocol/reply.js';
import { headerCommands, type HeaderKeywords } from './header.js';
import { noOp } from './no-op.js';

export interface TemperatureSettings {
  /** Initial control set point; the CCD starts there (the camera is cold when the server starts). */
  control: number;
  base: number;
  ambient: number;
  /** Seconds for the CCD to cover 63% of the way to a new set point. */
  timeConstantS: number;
  seed: number;
}

export const DEFAULT_TEMPERATURES: TemperatureSettings = { control: -110, base: -170, ambient: 25, timeConstantS: 120, seed: 1 };
export const CONTROL_RANGE = { min: -200, max: 40 } as const;

const CCD_NOISE = 0.05;
const BASE_NOISE = 0.2;
const NOISE_PERIOD_MS = 1000;
/** Readings resolve to a thousandth of a degree, like `-110.123`. */
const RESOLUTION = 1000;

export class Temperatures {
  readonly #clock: Clock;
  readonly #settings: TemperatureSettings;
  #control: number;
  /** The drift toward #control started from #from at #since. */
  #from: number;
  #since: number;

  constructor(clock: Clock, settings: TemperatureSettings = DEFAULT_TEMPERATURES) {
    this.#clock = clock;
    this.#settings = settings;
    this.#control = settings.control;
    this.#from = settings.control;
    this.#since = clock.now();
  }

  get control(): number {
    return this.#control;
  }

  setControl(temperature: number): void {
    if (temperature < CONTROL_RANGE.min || temperature > CONTROL_RANGE.max) {
      throw new InvalidArgumentError(`invalid control temperature: ${temperature} (must be ${CONTROL_RANGE.min} to ${CONTROL_RANGE.max})`);
    }
    const now = this.#clock.now();
    this.#from = this.#drifted(now);
    this.#since = now;
    this.#control = temperature;
  }

  ccd(): number {
    return this.#ccdAt(this.#clock.now());
  }

  base(): number {
    return this.#baseAt(this.#clock.now());
  }

  ambient(): number {
    return this.#settings.ambient;
  }

  /** ccd, base (dewar), ambient: azcam's order. */
  all(): number[] {
    const now = this.#clock.now();
    return [this.#ccdAt(now), this.#baseAt(now), this.ambient()];
  }

  #ccdAt(now: number): number {
    return reading(this.#drifted(now) + CCD_NOISE * this.#noise(0, now));
  }

  #baseAt(now: number): number {
    return reading(this.#settings.base + BASE_NOISE * this.#noise(1, now));
  }

  #drifted(now: number): number {
    const elapsedS = (now - this.#since) / 1000;
    return this.#control + (this.#from - this.#control) * Math.exp(-elapsedS / this.#settings.timeConstantS);
  }

  /** In [-1, 1), constant within each noise period. */
  #noise(channel: number, now: number): number {
    let hash = Math.imul(this.#settings.seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(channel + 1, 0xc2b2ae35);
    hash ^= Math.imul(Math.floor(now / NOISE_PERIOD_MS), 0x27d4eb2f);
    hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
    hash = Math.imul(hash ^ (hash >>> 12), 0x297a2d39);
    return ((hash ^ (hash >>> 15)) >>> 0) / 2 ** 31 - 1;
  }
}

function reading(value: number): number {
  return Math.round(value * RESOLUTION) / RESOLUTION;
}

/** azcam's `temperature_id` for a reading: 0 CCD (camtemp), 1 dewar (base), 2 ambient. */
function temperatureById(temperatures: Temperatures, id: number): number {
  const readings = temperatures.all();
  if (id < 0 || id >= readings.length) throw new InvalidArgumentError(`invalid temperature id: ${id} (use 0 to ${readings.length - 1})`);
  return readings[id]!;
}

/** The `tempcon` tool. One control loop, so every `temperature_id` names the same set point. */
export function tempconTool(temperatures: Temperatures, header: HeaderKeywords): ToolSpec {
  return {
    description: 'Temperature controller: CCD, dewar and ambient readings, the CCD set point',
    commands: [
      noOp('initialize', 'Initialize the tool'),
      noOp('reset', 'Reset the tool'),
      query('get_temperatures', 'Return all temperatures: CCD, dewar, ambient (Celsius)', [], () => temperatures.all().map(pythonFloat)),
      query('get_temperature', 'Return one temperature: 0 CCD, 1 dewar, 2 ambient', [arg.int('temperature_id', 0)], ({ temperature_id }) =>
        pythonFloat(temperatureById(temperatures, temperature_id)),
      ),
      query('get_control_temperature', 'Return the control temperature (set point)', [arg.int('temperature_id', 0)], () => pythonFloat(temperatures.control)),
      command(
        'set_control_temperature',
        'Set the control temperature (set point); without one, re-apply the saved set point',
        [arg.float('temperature', null), arg.int('temperature_id', -1)],
        ({ temperature }) => temperatures.setControl(temperature ?? temperatures.control),
      ),
      ...headerCommands(header),
    ],
  };
}
