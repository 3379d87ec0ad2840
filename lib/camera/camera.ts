import { systemClock, type Clock } from '../clock.js';
import { ResourceLock } from '../dispatch/locks.js';
import type { ToolRegistry } from '../dispatch/registry.js';
import { ExposureInProgressError } from '../errors.js';
import type { DetectorGeometry } from '../readout/geometry.js';
import type { ReadoutPort } from '../readout/port.js';
import type { ToolSpec } from '../dispatch/command.js';
import type { ParameterFile } from '../storage/parameter-file.js';
import { apiTool } from './api.js';
import { cameraKeywords } from './camera-keywords.js';
import { Clocking, controllerTool, Shutter } from './controller.js';
import { exposureTool } from './exposure-commands.js';
import { ExposureTool } from './exposure.js';
import { ExposureRuns } from './exposure-runs.js';
import { ImageNames } from './image-names.js';
import { Sequencer } from './sequence.js';
import { Focus, focusTool } from './focus.js';
import { HeaderKeywords } from './header.js';
import { Instrument, instrumentTool } from './instrument.js';
import { liveParameters } from './live-parameters.js';
import { ParameterStore, parametersTool } from './parameters-tool.js';
import { defaultParameters, Parameters, type FolderResolver, type ParameterValues } from './parameters.js';
import { DEFAULT_TEMPERATURES, tempconTool, Temperatures, type TemperatureSettings } from './tempcon.js';

export interface CameraOptions {
  detector: DetectorGeometry;
  /** Reads out and writes each image. */
  readout: ReadoutPort;
  clock?: Clock;
  /** For logs and readout requests. */
  name?: string;
  /** The initial image folder; default: the server's working directory. */
  imageFolder?: string;
  /**
   * Applied to every image folder a client sets (e.g. ImageStore.resolveFolder: relative to the
   * data directory, refused outside it); default: taken as given.
   */
  resolveImageFolder?: FolderResolver;
  /** Initial parameter values over the defaults (the ROI is checked against the detector). */
  parameters?: Partial<ParameterValues>;
  filters?: readonly string[];
  /** INSTRUME in the header. */
  instrumentName?: string;
  temperatures?: Partial<TemperatureSettings>;
  /** Seeds the simulated images (each exposure gets the next seed) and the temperature noise. */
  seed?: number;
  /** Where save_pars writes (and every settings change saves) the parameters; default: not saved. */
  parameterFile?: ParameterFile;
  /** File names claimed by running exposures, shared by the cameras of one server; default: this camera's own. */
  imageNames?: ImageNames;
}

/** The command tools of one camera, by the name camera 1 registers them under. */
export type CameraTools = Record<'exposure' | 'controller' | 'tempcon' | 'instrument' | 'parameters' | 'focus' | 'api', ToolSpec>;

/** One simulated camera: its state, its exposure lock, and the tools that command it. */
export class Camera {
  readonly name: string;
  /** azcam's `systemname` (get_status, get_par): the instrument's name. */
  readonly systemName: string;
  readonly detector: DetectorGeometry;
  readonly parameters: Parameters;
  readonly header: HeaderKeywords;
  readonly shutter = new Shutter();
  readonly temperatures: Temperatures;
  readonly instrument: Instrument;
  readonly lock = new ResourceLock(() => new ExposureInProgressError());
  readonly clocking = new Clocking(this.lock);
  /** Its exposures not yet ended, integrating or being read out. */
  readonly exposures = new ExposureRuns();
  readonly clock: Clock;
  readonly exposure: ExposureTool;
  readonly sequencer: Sequencer;
  readonly focus: Focus;
  /** get_par / set_par: the settings above, live values, and the clients' subdicts. */
  readonly parameterStore: ParameterStore;
  readonly tools: CameraTools;

  constructor(options: CameraOptions) {
    const clock = options.clock ?? systemClock;
    const seed = options.seed ?? 1;
    this.name = options.name ?? 'camera';
    this.systemName = options.instrumentName ?? 'azcam-sim';
    this.detector = options.detector;
    this.parameters = new Parameters(
      options.detector,
      { ...defaultParameters(options.detector, options.imageFolder ?? process.cwd()), ...options.parameters },
      options.resolveImageFolder,
    );
    this.temperatures = new Temperatures(clock, { ...DEFAULT_TEMPERATURES, seed, ...options.temperatures });
    this.instrument = new Instrument(options.filters);
    this.header = new HeaderKeywords(
      cameraKeywords({
        clock,
        detector: this.detector,
        parameters: this.parameters,
        temperatures: this.temperatures,
        instrument: this.instrument,
        instrumentName: this.systemName,
      }),
    );
    const { name, detector, header, shutter, lock } = this;
    const { readout } = options;
    const [runs, names] = [this.exposures, options.imageNames ?? new ImageNames()];
    const parametersSaved = (): Promise<void> => this.parameterStore.saved();
    const { clocking } = this;
    this.exposure = new ExposureTool({ camera: name, detector, parameters: this.parameters, header, shutter, lock, runs, names, clock, readout, seed, parametersSaved, clocking });
    this.sequencer = new Sequencer(this.exposure, clock);
    this.focus = new Focus({ exposure: this.exposure, instrument: this.instrument, clocking: this.clocking, parameters: this.parameters, clock });
    this.clock = clock;
    this.parameterStore = new ParameterStore(this.parameters, liveParameters(this), options.parameterFile);
    this.tools = this.#createTools();
  }

  /** Sets the parameters saved by an earlier run, if a parameter file is configured. */
  restoreParameters(): Promise<void> {
    return this.parameterStore.load();
  }

  /** Resolves once every exposure started so far (even one whose client has had its reply) has ended. */
  settled(): Promise<void> {
    return this.exposures.settled();
  }

  #createTools(): CameraTools {
    const { header, lock } = this;
    const { parameters, detector, shutter, instrument, clocking } = this;
    const { sequencer, temperatures, clock, systemName } = this;
    const exposure = exposureTool({ exposure: this.exposure, sequencer, parameters, header, detector, shutter, instrument, clocking, lock, temperatures, clock, systemName });
    const tools = {
      exposure,
      controller: controllerTool(shutter, clocking, lock, header, {
        exposureTime: () => parameters.get('exposuretime'),
        pixelsRemaining: () => this.exposure.pixelsRemaining,
      }),
      tempcon: tempconTool(this.temperatures, header),
      instrument: instrumentTool(instrument, lock, header),
      parameters: parametersTool(this.parameterStore),
      focus: focusTool(this.focus, exposure),
    };
    return { ...tools, api: apiTool(tools) };
  }
}

/**
 * Registers the camera's tools: with no prefix as `exposure`, `tempcon`, ... (camera 1, and `api`
 * the default tool); with prefix `cam2` as `cam2.exposure`, `cam2.tempcon`, ...
 */
export function registerCamera(registry: ToolRegistry, camera: Camera, prefix = ''): ToolRegistry {
  for (const [name, tool] of Object.entries(camera.tools)) registry.register(prefix ? `${prefix}.${name}` : name, tool);
  return registry;
}
