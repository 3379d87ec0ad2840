import { command, type CommandSpec } from '../dispatch/command.js';

/**
 * An azcam command that drives hardware the simulator does not have (idle clocking, comparison
 * lamps, header refresh): it is accepted and does nothing, as azcam's own base tools do.
 */
export function noOp(name: string, description: string): CommandSpec {
  return command(name, `${description} (nothing to do on the simulator)`, [], () => undefined);
}
