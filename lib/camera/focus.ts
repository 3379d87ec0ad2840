/**
 * azcam's focus tool: one image integrated at several focus positions, the detector shifted by
 * some rows between them, so that each star leaves a trail of images to compare. A run holds the
 * camera as any exposure does, so other clients are answered throughout and `abort` stops it.
 */
import { sleep, type Clock } from '../clock.js';
import { alias, arg, command, pick, type ToolSpec } from '../dispatch/command.js';
import type { Session } from '../dispatch/session.js';
import { InvalidArgumentError } from '../errors.js';
import { log } from '../log.js';
import { pythonFloat } from '../protocol/reply.js';
import { fitsFloat, type HeaderCard } from '../readout/fits.js';
import type { Clocking } from './controller.js';
import type { Integrations } from './exposure-run.js';
import type { ExposureTool } from './exposure.js';
import type { Instrument } from './instrument.js';
import { noOp } from './no-op.js';
import type { Parameters, ParameterValues } from './parameters.js';

export interface FocusSettings {
  exposureTime: number;
  numberExposures: number;
  focusStep: number;
  detectorShift: number;
}

/** azcam's Focus defaults. */
export const DEFAULT_FOCUS: FocusSettings = { exposureTime: 1, numberExposures: 7, focusStep: 30, detectorShift: 10 };
/** azcam's `move_delay`: how long the focus takes to settle after a move before the next integration. */
export const MOVE_DELAY_MS = 3000;
/** azcam refuses to focus with a shorter exposure ("do not focus with zero exposure time"). */
const MIN_EXPOSURE_S = 0.001;

/**
 * The focus image's settings, for it alone: the camera's are left as they are. Overwrite stays
 * the camera's (azcam turns it on): every camera's focus images are named focus.NNNN, each camera
 * counting on its own, so with it on one camera's run could replace another's image.
 */
const FRAME_SETTINGS: Partial<ParameterValues> = {
  imageroot: 'focus.',
  imageincludesequencenumber: true,
  imageautoincrementsequencenumber: true,
  imagetest: false,
  imagetype: 'object',
  imagetitle: 'Focus',
};

export interface FocusSources {
  exposure: ExposureTool;
  instrument: Instrument;
  clocking: Clocking;
  parameters: Parameters;
  clock: Clock;
}

export class Focus {
  #settings: FocusSettings = { ...DEFAULT_FOCUS };
  /** azcam's `set_pars_called`: from then on a run takes these settings, not its own arguments. */
  #setParsCalled = false;

  constructor(private readonly s: FocusSources) {}

  get settings(): FocusSettings {
    return { ...this.#settings };
  }

  setPars(settings: FocusSettings): void {
    this.#settings = checkedSettings(settings);
    this.#setParsCalled = true;
  }

  /**
   * Begins an object exposure titled "Focus", integrates at each focus position (moving the focus
   * by the step and shifting the detector between integrations, twice on the last), returns the
   * focus to its start and reads one image out. An abort stops it; it replies OK. Only the exposure
   * time is set, as azcam sets it; the image's other settings are its own, no setting is changed.
   */
  async run(given: FocusSettings, session: Session): Promise<void> {
    if (!this.#setParsCalled) this.#settings = checkedSettings(given);
    const settings = this.#settings;
    const { exposure, instrument, parameters } = this.s;
    const start = instrument.focus;
    const integrations: Integrations = {
      count: settings.numberExposures,
      between: (index, signal) => this.#nextPosition(index, settings, signal),
      after: () => instrument.moveFocus(start, 'absolute'),
    };
    const exposureTime = parameters.parse('exposuretime', String(settings.exposureTime));
    await exposure.exposeFrame(exposureTime, { overrides: { values: FRAME_SETTINGS }, integrations, cards: focusCards(start, settings) }, session);
  }

  /** Before integration `index`: the focus moves by a step and settles, the detector shifts. */
  async #nextPosition(index: number, settings: FocusSettings, signal: AbortSignal): Promise<void> {
    const { instrument, clocking, clock } = this.s;
    const before = instrument.focus;
    instrument.moveFocus(before + settings.focusStep, 'absolute');
    if (instrument.focus !== before) await sleep(clock, MOVE_DELAY_MS, signal);
    if (signal.aborted) return;
    const last = index === settings.numberExposures - 1;
    clocking.shiftDuringExposure(settings.detectorShift * (last ? 2 : 1));
    log.info('focus integration', { number: index + 1, of: settings.numberExposures, focus: instrument.focus });
  }
}

function checkedSettings(settings: FocusSettings): FocusSettings {
  if (!(settings.exposureTime >= MIN_EXPOSURE_S)) throw new InvalidArgumentError(`do not focus with zero exposure time: ${settings.exposureTime} (at least ${MIN_EXPOSURE_S} s)`);
  if (settings.numberExposures < 1) throw new InvalidArgumentError(`invalid number of exposures: ${settings.numberExposures} (at least 1)`);
  return { ...settings };
}

/** The keywords azcam's focus saves, in this image's header only. */
function focusCards(start: number, settings: FocusSettings): HeaderCard[] {
  return [
    { key: 'FOCSTART', value: pythonFloat(start), comment: 'starting focus value' },
    { key: 'FOCSTEP', value: fitsFloat(settings.focusStep), comment: 'focus step size' },
    { key: 'FOCSHIFT', value: settings.detectorShift, comment: 'focus detector shift pixels' },
    { key: 'FOCSTEPS', value: settings.numberExposures, comment: 'focus number of exposures' },
  ];
}

const NUMBER_EXPOSURES = arg.int('number_exposures', DEFAULT_FOCUS.numberExposures);
const FOCUS_STEP = arg.float('focus_step', DEFAULT_FOCUS.focusStep);
const DETECTOR_SHIFT = arg.int('detector_shift', DEFAULT_FOCUS.detectorShift);
/** `api.focus_run` takes every argument, without defaults. */
export const API_RUN_ARGS = [arg.float('exposure_time'), arg.int('number_exposures'), arg.float('focus_step'), arg.int('detector_shift')] as const;

interface FocusArgs {
  exposure_time: number;
  number_exposures: number;
  focus_step: number;
  detector_shift: number;
}

function toSettings(a: FocusArgs): FocusSettings {
  return { exposureTime: a.exposure_time, numberExposures: a.number_exposures, focusStep: a.focus_step, detectorShift: a.detector_shift };
}

/** The `focus` tool, by azcam's names; `abort` is the exposure tool's (it stops the focus frame). */
export function focusTool(focus: Focus, exposureTool: ToolSpec): ToolSpec {
  return {
    description: 'Focus: one image integrated at several focus positions, the detector shifted between them',
    commands: [
      noOp('initialize', 'Initialize the focus tool'),
      alias(pick(exposureTool.commands, 'abort')),
      command(
        'set_pars',
        'Set the focus run: exposure time, exposures, focus step, detector shift (rows); later runs take these, not their own',
        [arg.float('exposure_time'), NUMBER_EXPOSURES, FOCUS_STEP, DETECTOR_SHIFT],
        (a) => focus.setPars(toSettings(a)),
      ),
      command(
        'run',
        'Take a focus image (one object exposure, integrated at each focus step); replies when it is written (or aborted)',
        [arg.float('exposure_time', DEFAULT_FOCUS.exposureTime), NUMBER_EXPOSURES, FOCUS_STEP, DETECTOR_SHIFT],
        (a, { session }) => focus.run(toSettings(a), session),
      ),
    ],
  };
}
