/**
 * The `exposure` tool's command table: azcam's Exposure methods (with its Filename and header
 * methods), by azcam's names, arguments and defaults.
 */
import { arg, command, query, type CommandSpec, type ToolSpec } from '../dispatch/command.js';
import type { ResourceLock } from '../dispatch/locks.js';
import { InvalidArgumentError } from '../errors.js';
import { pythonFloat, pythonJson } from '../protocol/reply.js';
import { readSmallTextFile } from '../storage/text-file.js';
import { fullRoi, roiToArray, type DetectorGeometry } from '../readout/geometry.js';
import { setShutter, type Clocking, type Shutter } from './controller.js';
import { EXPOSURE_FLAGS } from './exposure-run.js';
import { azcamStatus, type StatusSources } from './exposure-status.js';
import { exposureSubtools } from './exposure-subtools.js';
import type { ExposureTool } from './exposure.js';
import { FILE_TYPE_EXTENSIONS, namingFor, nextFilename } from './filename.js';
import { headerCommands, type HeaderKeywords, type KeywordSetting } from './header.js';
import { parseHeaderTemplate } from './header-template.js';
import type { Instrument } from './instrument.js';
import { noOp } from './no-op.js';
import { IMAGE_TYPES, UNCHANGED, type Parameters } from './parameters.js';
import { detectorFormat, focalPlane, parseAmpConfig, roiFrom } from './roi.js';
import type { Sequencer } from './sequence.js';

export interface ExposureCommandSources extends StatusSources {
  exposure: ExposureTool;
  sequencer: Sequencer;
  parameters: Parameters;
  header: HeaderKeywords;
  detector: DetectorGeometry;
  shutter: Shutter;
  instrument: Instrument;
  clocking: Clocking;
  lock: ResourceLock;
}

/** A header template holds a few hundred keywords at most (each one card of 80 bytes): 128 KiB is plenty. */
export const MAX_HEADER_FILE_BYTES = 128 * 1024;
/** What `read_header_file`'s errors call the file. */
const HEADER_FILE = 'header file';

const FOCAL_PLANE_ARGS = ['numdet_x', 'numdet_y', 'numamps_x', 'numamps_y'] as const;
/** azcam's default amp_cfg, `[0]`: like -1, it keeps the detector's flips. */
const DEFAULT_AMP_CFG = '[0]';
const FORMAT_ARGS = ['ns_total', 'ns_predark', 'ns_underscan', 'ns_overscan', 'np_total', 'np_predark', 'np_underscan', 'np_overscan', 'np_frametransfer'] as const;

export function exposureCommands(s: ExposureCommandSources): CommandSpec[] {
  const { exposure, parameters, detector, sequencer } = s;
  const exposeArgs = [arg.float('exposure_time', -1), arg.str('imagetype', ''), arg.str('title', '')] as const;
  const sequenceArgs = (total: number) => [arg.int('number_exposures', total), arg.int('flush_array_flag', -1), arg.float('delay', -1)] as const;
  return [
    command(
      'expose',
      'Make a complete exposure; replies when the image is written (or the exposure aborted)',
      exposeArgs,
      async ({ exposure_time, imagetype, title }, { session }) => {
        await exposure.expose({ exposuretime: exposure_time, imagetype, imagetitle: title }, session);
      },
    ),
    command(
      'expose1',
      'Make a complete exposure; replies as soon as integration has begun',
      [arg.float('exposure_time', -1), arg.str('image_type', ''), arg.str('image_title', '')],
      ({ exposure_time, image_type, image_title }, { session }) =>
        exposure.expose1({ exposuretime: exposure_time, imagetype: image_type, imagetitle: image_title }, session),
    ),
    command('test', 'Make a test exposure, written to test.fits (shutter: 0 closed, 1 open; exposure time -1: the current one)', [arg.float('exposure_time', 0), arg.int('shutter', 0)], async ({ exposure_time, shutter }, { session }) => {
      await exposure.test(exposure_time, shutter !== 0, session);
    }),
    command(
      'sequence',
      'Take exposures with the current settings (flush: 0 each, 1 first only, 2 none; delay in seconds; -1 keeps)',
      sequenceArgs(-1),
      ({ number_exposures, flush_array_flag, delay }, { session }) => sequencer.sequence(number_exposures, flush_array_flag, delay, session),
    ),
    command('sequence1', 'sequence, replying at once', sequenceArgs(1), ({ number_exposures, flush_array_flag, delay }, { session }) =>
      sequencer.inBackground('sequence', sequencer.sequence(number_exposures, flush_array_flag, delay, session)),
    ),
    command('guide', 'Take object exposures titled "guide image" (-1: until aborted)', [arg.int('number_exposures', 1)], ({ number_exposures }, { session }) =>
      sequencer.guide(number_exposures, session),
    ),
    command('guide1', 'guide, replying at once', [arg.int('number_exposures', 1)], ({ number_exposures }, { session }) =>
      sequencer.inBackground('guide', sequencer.guide(number_exposures, session)),
    ),
    command('begin', 'First step of an exposure: set up and hold the camera', exposeArgs, ({ exposure_time, imagetype, title }, { session }) =>
      exposure.begin({ exposuretime: exposure_time, imagetype, imagetitle: title }, session),
    ),
    command('integrate', 'Second step: integrate', [], () => exposure.integrate()),
    command('readout', 'Third step: read the detector out', [], () => exposure.readout()),
    command('end', 'Last step: replies when the image is written', [], () => exposure.end()),
    command('start_readout', 'End the integration now and read out', [], () => exposure.startReadout()),
    command('abort', 'Abort the exposure (and sequence) in progress', [], () => {
      sequencer.abort();
      exposure.abort();
    }),
    command('pause', 'Pause the integration in progress', [], () => exposure.pause()),
    command('resume', 'Resume a paused integration', [], () => exposure.resume()),
    command('reset', 'Reset the exposure tool: abort, clear the status, free the camera', [], () => {
      sequencer.abort();
      exposure.reset();
    }),
    noOp('initialize', 'Initialize the exposure tool'),
    query('finished', 'Return 1 once the last exposure has ended', [], () => (exposure.state === 'NONE' ? 1 : 0)),
    query('get_status', "Return the exposure status as one JSON object (azcam's keys)", [], () => azcamStatus(exposure.status(), s)),
    query('get_exposureflag', 'Return the exposure flag: number and name', [], () => [EXPOSURE_FLAGS[exposure.state], exposure.state]),
    query('get_exposuretime', 'Return the exposure time (seconds)', [], () => pythonFloat(parameters.get('exposuretime'))),
    command('set_exposuretime', 'Set the exposure time (seconds)', [arg.float('exposure_time')], ({ exposure_time }) =>
      parameters.set('exposuretime', String(exposure_time)),
    ),
    query('get_exposuretime_remaining', 'Return the integration time remaining (seconds)', [], () => pythonFloat(exposure.secondsLeft)),
    query('get_pixels_remaining', 'Return the pixels still to read out', [], () => exposure.pixelsRemaining),
    query('get_filename', "Return the next image's file name", [], () => nextFilename(parameters.values)),
    command('set_filename', "Set the image folder and root from a file name (the root: its name up to the first '.')", [arg.str('filename')], ({ filename }) =>
      parameters.update(namingFor(filename)),
    ),
    query('get_extname', "Return a file type's extension: 0, 1, 6 fits, 2 bin, 3 tif, 4 jpg, 5 gif, any other none", [arg.int('filetype')], ({ filetype }) =>
      FILE_TYPE_EXTENSIONS[filetype] ?? '',
    ),
    command('increment_filenumber', 'Move the sequence number on, if auto-increment is on and exposures are not test images', [], () => {
      const { imageautoincrementsequencenumber, imagetest, imagesequencenumber } = parameters.values;
      if (imageautoincrementsequencenumber && !imagetest) parameters.set('imagesequencenumber', String(imagesequencenumber + 1));
    }),
    // A command, not a query: the answer is used up, so a web GET (a crawler, a prefetch) must not take it.
    command('check_image_ready', 'Return 1 once after each image written, else 0', [], () => (exposure.takeImageReady() ? 1 : 0)),
    query('get_image_title', 'Return the image title', [], () => parameters.get('imagetitle')),
    command('set_image_title', 'Set the image title', [arg.str('title', '')], ({ title }) => parameters.set('imagetitle', title)),
    query('get_image_type', 'Return the image type, as it was set', [], () => parameters.get('imagetype')),
    command('set_image_type', 'Set the image type: zero, object, flat, dark, or any other (a comparison: shutter open)', [arg.str('imagetype', 'zero')], ({ imagetype }) =>
      parameters.set('imagetype', imagetype),
    ),
    command('set_auto_title', 'Make the title follow the image type (1) or not (0); -1 keeps the flag', [arg.int('flag', UNCHANGED)], ({ flag }) => {
      if (flag !== UNCHANGED) parameters.update({ autotitle: flag !== 0 });
    }),
    query('get_image_types', 'Return the valid image types', [], () => [...IMAGE_TYPES]),
    query('get_roi', 'Return the ROI: first col, last col, first row, last row, col bin, row bin', [arg.int('roi_num', 0)], () =>
      roiToArray(parameters.roi()),
    ),
    command(
      'set_roi',
      'Set the ROI and binning for the next exposures (-1 keeps a value)',
      [arg.int('first_col', -1), arg.int('last_col', -1), arg.int('first_row', -1), arg.int('last_row', -1), arg.int('col_bin', -1), arg.int('row_bin', -1), arg.int('roi_num', 0)],
      ({ first_col, last_col, first_row, last_row, col_bin, row_bin }) =>
        parameters.setRoi(roiFrom([first_col, last_col, first_row, last_row, col_bin, row_bin], parameters.roi())),
    ),
    command('roi_reset', 'Reset the ROI to the full detector, keeping the binning', [], () => {
      const { colBin, rowBin } = parameters.roi();
      parameters.setRoi({ ...fullRoi(detector), colBin, rowBin });
    }),
    query('get_format', 'Return the detector format: columns, prescan, underscan, overscan; rows, ...', [], () => detectorFormat(detector)),
    command(
      'set_format',
      'Set the detector format (the simulated detector accepts only its own; -1 keeps a value)',
      FORMAT_ARGS.map((name) => arg.int(name, UNCHANGED)),
      (values) => checkFixed('format', FORMAT_ARGS.map((name) => values[name] as number), detectorFormat(detector)),
    ),
    query('get_focalplane', 'Return the focal plane: detectors x, y; amps x, y; each amp\'s flip', [], () => focalPlane(detector)),
    command(
      'set_focalplane',
      "Set the focal plane (the simulated detector accepts only its own; -1, or amp_cfg [0], keeps a value)",
      [...FOCAL_PLANE_ARGS.map((name) => arg.int(name, UNCHANGED)), arg.str('amp_cfg', DEFAULT_AMP_CFG)],
      (values) => {
        const [detectorsX, detectorsY, ampsX, ampsY, flips] = focalPlane(detector);
        const ampCfg = values.amp_cfg === DEFAULT_AMP_CFG ? flips.map(() => UNCHANGED) : parseAmpConfig(values.amp_cfg);
        const wanted = [...FOCAL_PLANE_ARGS.map((name) => values[name] as number), ...ampCfg];
        checkFixed('focal plane', wanted, [detectorsX, detectorsY, ampsX, ampsY, ...flips], `${detectorsX} ${detectorsY} ${ampsX} ${ampsY} ${pythonJson(flips)}`);
      },
    ),
    command(
      'set_shutter',
      'Open (1) or close (0) a shutter: shutter_id 0 the controller\'s, 1 the instrument\'s',
      [arg.int('state', 0), arg.int('shutter_id', 0)],
      ({ state, shutter_id }) => {
        if (shutter_id !== 0 && shutter_id !== 1) throw new InvalidArgumentError(`invalid shutter id: ${shutter_id} (use 0 or 1)`);
        s.lock.assertFree();
        setShutter(shutter_id === 0 ? s.shutter : s.instrument.shutter, state);
      },
    ),
    command('flush', 'Flush (clear) the sensor', [arg.int('Cycles', 1)], ({ Cycles }) => s.clocking.flush(Cycles)),
    command('parshift', 'Shift the sensor by rows (positive toward the readout)', [arg.float('number_rows')], ({ number_rows }) =>
      s.clocking.parshift(Math.trunc(number_rows)),
    ),
    query('get_test_image', 'Return 1 when exposures are test images (written to test.fits)', [], () => (parameters.get('imagetest') ? 1 : 0)),
    command('set_test_image', 'Make exposures test images (1) or not (0)', [arg.flag('flag')], ({ flag }) => parameters.update({ imagetest: flag })),
    command(
      'read_header_file',
      'Set keywords from a header template on the server: KEYWORD value / comment a line (relative to the data directory)',
      [arg.str('filename')],
      async ({ filename }) => s.header.setAll(await readHeaderTemplate(filename, parameters)),
    ),
    ...headerCommands(s.header),
  ];
}

export function exposureTool(s: ExposureCommandSources): ToolSpec {
  const commands = exposureCommands(s);
  return {
    description: 'Exposures: expose, sequence, status, image naming, ROI, header',
    commands,
    subtools: exposureSubtools({ exposure: s.exposure, parameters: s.parameters, commands }),
  };
}

/** For settings the simulated detector cannot change: -1 or the current value passes, any other is refused. */
function checkFixed(what: string, wanted: readonly number[], current: readonly number[], shown = current.join(' ')): void {
  if (wanted.length === current.length && wanted.every((value, index) => value === UNCHANGED || value === current[index])) return;
  throw new InvalidArgumentError(`the ${what} of the simulated detector is fixed: ${shown} (choose another with --detector)`);
}

/** azcam's `read_header_file`: the template's keyword settings, read from a folder clients may use. */
async function readHeaderTemplate(filename: string, parameters: Parameters): Promise<KeywordSetting[]> {
  const path = parameters.resolveServerFile(filename, HEADER_FILE);
  return parseHeaderTemplate(await readSmallTextFile(path, MAX_HEADER_FILE_BYTES, HEADER_FILE), filename);
}
