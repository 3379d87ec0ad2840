/**
 * The parameters azcam's parameter table reaches beyond the camera's settings, by azcam's names:
 * values the server computes when asked (`camtemp`, `lastfilename`, `imagesizex`), and the few a
 * client may also set (`controltemperature`, `imagefiletype`, `instrumentfocus`).
 */
import { hostname } from 'node:os';
import { toInteger, toNumber } from '../dispatch/arguments.js';
import { InvalidArgumentError } from '../errors.js';
import { pythonFloat } from '../protocol/reply.js';
import type { Camera } from './camera.js';
import { EXPOSURE_FLAGS } from './exposure-run.js';
import { nextFilename } from './filename.js';
import type { LiveParameter } from './parameters-tool.js';
import { flushSetting } from './sequence.js';

function nonNegative(value: number): number {
  if (value < 0) throw new InvalidArgumentError(`invalid value: ${value} (must be 0 or more)`);
  return value;
}

/** The azcam release whose command server this one answers as (`get_par version`). */
export const AZCAM_VERSION = '26.0.5';

/**
 * azcam's `db` values in its parameter table: `set_par` replies OK and changes nothing there (it
 * sets only tools' attributes), so they are read-only here too, without an error.
 */
const DATABASE_VALUES = { version: AZCAM_VERSION, abortflag: 0, verbosity: 1 } as const;

/** azcam's file types: 0 FITS, 1 MEF, 6 assembled; a single-image FITS is our assembled image. */
const FILE_TYPES = { mef: 1, assembled: 6 } as const;

export function liveParameters(camera: Camera): Record<string, LiveParameter> {
  const { parameters, exposure, temperatures, instrument, sequencer } = camera;
  const sequence = sequencer.settings;
  const reading = (index: number) => (): string => pythonFloat(temperatures.all()[index]!);
  const binnedSize = (): { x: number; y: number } => {
    const roi = parameters.roi();
    return { x: Math.floor((roi.lastCol - roi.firstCol + 1) / roi.colBin), y: Math.floor((roi.lastRow - roi.firstRow + 1) / roi.rowBin) };
  };
  return {
    imagefilename: { get: () => nextFilename(parameters.values) },
    lastfilename: { get: () => exposure.lastFilename },
    exposureflag: { get: () => EXPOSURE_FLAGS[exposure.state] },
    exposurecompleted: { get: () => (exposure.state === 'NONE' ? 1 : 0) },
    exposuretimeremaining: { get: () => pythonFloat(exposure.secondsLeft) },
    pixelsremaining: { get: () => exposure.pixelsRemaining },
    exposuresequencetotal: { get: () => sequence.total, set: (raw) => (sequence.total = nonNegative(toInteger(raw, 'exposuresequencetotal'))) },
    exposuresequencedelay: { get: () => pythonFloat(sequence.delaySeconds), set: (raw) => (sequence.delaySeconds = nonNegative(toNumber(raw, 'exposuresequencedelay'))) },
    exposuresequenceflush: { get: () => sequence.flush, set: (raw) => (sequence.flush = flushSetting(toInteger(raw, 'exposuresequenceflush'))) },
    exposuresequencenumber: { get: () => sequencer.progress?.number ?? 1 },
    isexposuresequence: { get: () => (sequencer.progress ? 1 : 0) },
    imagefiletype: {
      get: () => FILE_TYPES[parameters.get('imageformat')],
      set: (raw) => {
        const type = toInteger(raw, 'imagefiletype');
        if (![0, 1, 6].includes(type)) throw new InvalidArgumentError(`invalid imagefiletype: ${raw} (use 0 FITS, 1 MEF or 6 assembled)`);
        parameters.update({ imageformat: type === FILE_TYPES.mef ? 'mef' : 'assembled' });
      },
    },
    imagesizex: { get: () => binnedSize().x },
    imagesizey: { get: () => binnedSize().y },
    numpiximage: { get: () => binnedSize().x * binnedSize().y },
    controltemperature: { get: () => pythonFloat(temperatures.control), set: (raw) => temperatures.setControl(toNumber(raw, 'controltemperature')) },
    camtemp: { get: reading(0) },
    dewtemp: { get: reading(1) },
    temperatures: { get: () => [reading(0)(), reading(1)()] },
    instrumentfocus: { get: () => pythonFloat(instrument.focus), set: (raw) => instrument.moveFocus(toNumber(raw, 'instrumentfocus'), 'absolute') },
    instrumentenabled: { get: () => 1 },
    systemname: { get: () => camera.systemName },
    hostname: { get: () => hostname() },
    wd: { get: () => process.cwd() },
    ...Object.fromEntries(Object.entries(DATABASE_VALUES).map(([name, value]) => [name, { get: () => value, set: () => undefined }])),
  };
}
