import { alias, arg, pick, type ToolSpec } from '../dispatch/command.js';
import { API_RUN_ARGS } from './focus.js';

export type ApiSources = Record<'exposure' | 'parameters' | 'tempcon' | 'instrument' | 'focus', ToolSpec>;

/** azcam's api short forms that reach an exposure command under the same name. */
const EXPOSURE_SHORT_FORMS = [
  'expose',
  'expose1',
  'test',
  'set_filename',
  'get_roi',
  'set_roi',
  'roi_reset',
  'get_format',
  'set_format',
  'abort',
  'pause',
  'resume',
  'set_shutter',
  'read_header_file',
  'get_exposuretime',
  'set_exposuretime',
  'get_exposuretime_remaining',
  'get_pixels_remaining',
  'get_status',
  'set_image_title',
  'get_image_title',
  'set_image_type',
  'get_image_type',
  'get_image_types',
];
const INSTRUMENT_SHORT_FORMS = ['get_filters', 'get_filter', 'set_filter', 'get_wavelengths', 'get_wavelength', 'set_wavelength'];

/**
 * The default tool `api`: the short forms a bare command (`get_par imagefolder`) reaches, as
 * azcam's `api.py` declares them. Each is the tool's own command, so both spellings behave alike.
 */
export function apiTool(s: ApiSources): ToolSpec {
  return {
    description: "azcam's API: the short forms of the tools' commands",
    commands: [
      ...['get_par', 'set_par', 'save_pars'].map((name) => pick(s.parameters.commands, name)),
      ...EXPOSURE_SHORT_FORMS.map((name) => pick(s.exposure.commands, name)),
      alias(pick(s.exposure.commands, 'flush'), 'flush', [arg.int('cycles', 1)]),
      ...['sequence', 'sequence1'].map((name) => alias(pick(s.exposure.commands, name), name, [arg.int('number_exposures', 1), arg.int('flush_array_flag', -1), arg.float('delay', -1)])),
      alias(pick(s.exposure.commands, 'initialize'), 'initialize_exposure'),
      alias(pick(s.exposure.commands, 'reset'), 'reset_exposure'),
      pick(s.tempcon.commands, 'get_temperatures'),
      alias(pick(s.tempcon.commands, 'get_control_temperature'), 'get_control_temperature', [arg.int('temperature_id', -1)]),
      pick(s.tempcon.commands, 'set_control_temperature'),
      ...INSTRUMENT_SHORT_FORMS.map((name) => pick(s.instrument.commands, name)),
      // azcam's server defines `focus_initalize`; azcam_console sends `focus_initialize`.
      ...['focus_initalize', 'focus_initialize'].map((name) => alias(pick(s.focus.commands, 'initialize'), name)),
      ...['abort', 'set_pars'].map((name) => alias(pick(s.focus.commands, name), `focus_${name}`)),
      alias(pick(s.focus.commands, 'run'), 'focus_run', API_RUN_ARGS),
    ],
  };
}
