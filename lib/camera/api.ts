import type { Call } from '../dispatch/registry.js';
import type { ExposureStatus } from './exposure-run.js';
import type { ExposureTool } from './exposure.js';
import type { ParametersTool } from './parameters.js';
import type { TempconTool } from './tempcon.js';

export interface ApiTools {
  exposure: ExposureTool;
  parameters: ParametersTool;
  tempcon: TempconTool;
}

/** The default tool `api`: the short forms a bare command (`get_par imagefolder`) reaches. */
export class ApiTool {
  readonly #tools: ApiTools;

  constructor(tools: ApiTools) {
    this.#tools = tools;
  }

  get_par(call: Call): unknown {
    return this.#tools.parameters.get_par(call);
  }

  set_par(call: Call): void {
    this.#tools.parameters.set_par(call);
  }

  expose(call: Call): Promise<void> {
    return this.#tools.exposure.expose(call);
  }

  expose1(call: Call): Promise<void> {
    return this.#tools.exposure.expose1(call);
  }

  abort(call: Call): void {
    this.#tools.exposure.abort(call);
  }

  get_status(call: Call): ExposureStatus {
    return this.#tools.exposure.get_status(call);
  }

  get_temperatures(call: Call): string[] {
    return this.#tools.tempcon.get_temperatures(call);
  }
}
