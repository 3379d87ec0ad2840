import { systemClock, type Clock } from '../clock.js';
import { ResourceLock } from '../dispatch/locks.js';
import type { ToolRegistry } from '../dispatch/registry.js';
import { ExposureInProgressError } from '../errors.js';
import type { DetectorGeometry } from '../readout/geometry.js';
import type { ReadoutPort } from '../readout/port.js';
import { ApiTool } from './api.js';
import { cameraKeywords } from './camera-keywords.js';
import { ControllerTool, Shutter } from './controller.js';
import { ExposureTool } from './exposure.js';
import { HeaderKeywords } from './header.js';
import { Instrument, InstrumentTool } from './instrument.js';
import { defaultParameters, Parameters, ParametersTool, type FolderResolver, type ParameterValues } from './parameters.js';
import { DEFAULT_TEMPERATURES, TempconTool, Temperatures, type TemperatureSettings } from './tempcon.js';

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
}

/** The command tools of one camera, by the name camera 1 registers them under. */
export interface CameraTools {
  exposure: ExposureTool;
  controller: ControllerTool;
  tempcon: TempconTool;
  instrument: InstrumentTool;
  parameters: ParametersTool;
  api: ApiTool;
}

/** One simulated camera: its state, its exposure lock, and the tools that command it. */
export class Camera {
  readonly name: string;
  readonly detector: DetectorGeometry;
  readonly parameters: Parameters;
  readonly header: HeaderKeywords;
  readonly shutter = new Shutter();
  readonly temperatures: Temperatures;
  readonly instrument: Instrument;
  readonly lock = new ResourceLock(() => new ExposureInProgressError());
  readonly tools: CameraTools;

  constructor(options: CameraOptions) {
    const clock = options.clock ?? systemClock;
    const seed = options.seed ?? 1;
    this.name = options.name ?? 'camera';
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
        instrumentName: options.instrumentName ?? 'azcam-sim',
      }),
    );
    this.tools = this.#createTools(clock, options.readout, seed);
  }

  /** Resolves once the exposure under way (even one whose client has had its reply) has ended. */
  settled(): Promise<void> {
    return this.tools.exposure.settled;
  }

  #createTools(clock: Clock, readout: ReadoutPort, seed: number): CameraTools {
    const { name, detector, header, shutter, lock } = this;
    const exposure = new ExposureTool({ camera: name, detector, parameters: this.parameters, header, shutter, lock, clock, readout, seed });
    const parameters = new ParametersTool(this.parameters);
    const tempcon = new TempconTool(this.temperatures);
    return {
      exposure,
      controller: new ControllerTool(shutter, lock),
      tempcon,
      instrument: new InstrumentTool(this.instrument, lock),
      parameters,
      api: new ApiTool({ exposure, parameters, tempcon }),
    };
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
