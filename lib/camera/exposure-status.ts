/**
 * `exposure.get_status` as azcam answers it: its 19 keys in its order (message, exposurelabel,
 * exposurecolor, exposurestate, progressbar, camtemp, dewtemp, filename, seqcount, seqtotal,
 * timestamp, imagetitle, imagetype, imagetest, exposuretime, colbin, rowbin, systemname, mode),
 * then `timeleft`. Where we differ: `exposurestate` names every state (azcam leaves it empty
 * outside EXPOSING, READOUT and SETUP), `progressbar` counts up, and `filename` is the exposure's
 * own file (the next one before any exposure); `imagetitle`, `imagetype`, `imagetest` and
 * `exposuretime` are the running exposure's, as its header and file have them (a focus or test
 * image's own), the camera's settings otherwise.
 */
import type { Clock } from '../clock.js';
import type { ExposureStatus } from './exposure-run.js';
import type { ShownSettings } from './exposure-plan.js';
import type { Parameters } from './parameters.js';
import type { Sequencer } from './sequence.js';
import type { Temperatures } from './tempcon.js';

export interface StatusSources {
  parameters: Parameters;
  temperatures: Temperatures;
  sequencer: Sequencer;
  clock: Clock;
  systemName: string;
}

const COLORS: Partial<Record<string, string>> = { EXPOSING: 'green', READOUT: 'red', SETUP: 'cyan' };
/** azcam's server mode, as `get_status` reports it. */
const SERVER_MODE = 'server';

export function azcamStatus(run: ExposureStatus, s: StatusSources): Record<string, unknown> {
  const { exposurestate: state, progressbar, timeleft, filename } = run;
  const values = s.parameters.values;
  // The running exposure's own (a focus or test image's), the camera's settings once it has ended.
  const { imagetitle, imagetype, imagetest, exposuretime } = run.exposuretime === undefined ? values : (run as ShownSettings);
  const sequence = s.sequencer.progress;
  const [camtemp = 0, dewtemp = 0] = s.temperatures.all();
  return {
    message: run.message || activeMessage(state, sequence),
    exposurelabel: label(state, run, exposuretime),
    exposurecolor: COLORS[state] ?? 'transparent',
    exposurestate: state,
    progressbar,
    camtemp: camtemp.toFixed(1),
    dewtemp: dewtemp.toFixed(1),
    filename,
    seqcount: sequence?.number ?? 0,
    seqtotal: sequence ? finiteOr(sequence.total, -1) : 0,
    timestamp: localTimestamp(s.clock.now()),
    imagetitle,
    imagetype,
    imagetest: imagetest ? 1 : 0,
    exposuretime,
    colbin: values.colbin,
    rowbin: values.rowbin,
    systemname: s.systemName,
    mode: SERVER_MODE,
    timeleft,
  };
}

/** azcam names the state while exposing, reading out or setting up, with the place in a sequence. */
function activeMessage(state: string, sequence: { number: number; total: number } | undefined): string {
  if (!COLORS[state]) return '';
  return sequence ? `${state} - ${sequence.number} of ${finiteOr(sequence.total, -1)}` : state;
}

function label(state: string, { progressbar, timeleft }: ExposureStatus, exposureTime: number): string {
  if (state === 'EXPOSING') return exposureTime === 0 ? '' : `${timeleft.toFixed(1)} sec remaining`;
  if (state === 'READOUT') return `${progressbar}% readout`;
  if (state === 'SETUP') return 'exposure setup';
  return '';
}

function finiteOr(value: number, otherwise: number): number {
  return Number.isFinite(value) ? value : otherwise;
}

/** Python's `str(datetime.now())` to the second: local time, `2026-11-30 06:33:12`. */
function localTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

