import { InvalidArgumentError } from '../errors.js';
import { arg, command, query, type ToolSpec } from '../dispatch/command.js';
import type { ResourceLock } from '../dispatch/locks.js';
import { log } from '../log.js';
import { pythonFloat } from '../protocol/reply.js';
import { headerCommands, type HeaderKeywords } from './header.js';
import { noOp } from './no-op.js';

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

/** azcam's shutter state: 1 opens, 0 closes. */
export function setShutter(shutter: Shutter, state: number): void {
  if (state !== 0 && state !== 1) throw new InvalidArgumentError(`invalid shutter state: ${state} (use 0 or 1)`);
  if (state === 1) shutter.open();
  else shutter.close();
}

/**
 * The simulated controller's clocking steps that have no pixels to show for them (flushing the
 * array, shifting rows): they are counted, and refused while an exposure holds the camera.
 */
export class Clocking {
  flushes = 0;
  rowsShifted = 0;

  constructor(private readonly exposureLock: ResourceLock) {}

  flush(cycles: number): void {
    if (cycles < 0) throw new InvalidArgumentError(`invalid cycles: ${cycles}`);
    this.exposureLock.assertFree();
    this.flushBeforeExposure(cycles);
  }

  /** The flush an exposure that holds the camera makes as it begins (azcam's `flusharray`). */
  flushBeforeExposure(cycles = 1): void {
    this.flushes += cycles;
    log.debug('controller flushed', { cycles });
  }

  parshift(rows: number): void {
    this.exposureLock.assertFree();
    this.shiftDuringExposure(rows);
  }

  /** A shift the exposure holding the camera makes between its integrations (a focus frame). */
  shiftDuringExposure(rows: number): void {
    this.rowsShifted += rows;
    log.debug('controller shifted rows', { rows });
  }
}

/** What the controller reports of the exposure it runs. */
export interface ControllerReadings {
  /** The exposure time written to the controller (seconds). */
  exposureTime(): number;
  /** Pixels still to read out (counts down during readout; 0 otherwise). */
  pixelsRemaining(): number;
}

/** The `controller` tool. Its commands would disturb a running exposure, so they wait for none. */
export function controllerTool(shutter: Shutter, clocking: Clocking, exposureLock: ResourceLock, header: HeaderKeywords, readings: ControllerReadings): ToolSpec {
  return {
    description: 'Camera controller: shutter, flushing, clocking',
    commands: [
      noOp('initialize', 'Initialize the controller'),
      command('reset', 'Reset the controller (closes the shutter)', [], () => {
        exposureLock.assertFree();
        shutter.close();
      }),
      command('set_shutter', 'Open (1) or close (0) the controller shutter', [arg.int('state'), arg.int('shutter_id', 0)], ({ state }) => {
        exposureLock.assertFree();
        setShutter(shutter, state);
      }),
      query('get_shutter', 'Return the shutter state: 1 open, 0 closed', [], () => (shutter.isOpen ? 1 : 0)),
      command('flush', 'Flush (clear) the sensor', [arg.int('cycles', 1)], ({ cycles }) => clocking.flush(cycles)),
      command('parshift', 'Shift the sensor by rows (positive toward the readout)', [arg.int('number_rows')], ({ number_rows }) =>
        clocking.parshift(number_rows),
      ),
      query('get_exposuretime', 'Return the exposure time from the controller (seconds)', [], () => pythonFloat(readings.exposureTime())),
      query('get_pixels_remaining', 'Return the number of pixels still to be read (counts down)', [], () => readings.pixelsRemaining()),
      noOp('start_idle', 'Start idle clocking'),
      noOp('stop_idle', 'Stop idle clocking'),
      ...headerCommands(header),
    ],
  };
}
