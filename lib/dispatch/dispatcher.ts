import { log } from '../log.js';
import { UnknownCommandError, UnknownToolError } from '../errors.js';
import { parseCommand, type Command } from '../protocol/parse.js';
import { formatError, formatReply } from '../protocol/reply.js';
import { bindArguments } from './arguments.js';
import type { CommandSpec, ToolSpec } from './command.js';
import { helpCommand } from './help.js';
import { ToolRegistry } from './registry.js';
import type { Session } from './session.js';

/** The tool that answers a bare `method` that is not a built-in. */
export const DEFAULT_TOOL = 'api';
const BUILTINS = '';

/**
 * The one dispatcher: every line from every connection comes here and leaves as one reply line.
 * Handlers may be synchronous (light commands, answered on the main thread) or return a promise
 * (heavy ones hand their work to the readout pool and await it, leaving the main thread free).
 */
export class Dispatcher {
  // The built-ins are this dispatcher's own: the tool registry may be shared (two servers, tests).
  private readonly builtins: ToolRegistry;
  private readonly help: CommandSpec;

  constructor(
    private readonly registry: ToolRegistry,
    builtins: ToolSpec = { description: 'No built-ins', commands: [] },
  ) {
    this.help = helpCommand(registry);
    this.builtins = new ToolRegistry().register(BUILTINS, { ...builtins, commands: [...builtins.commands, this.help] });
  }

  /** Runs one command line; never throws; resolves with the reply line (no terminator). */
  async execute(line: string, session: Session): Promise<string> {
    // winston filters by level only at its transports: build the entry only when it will be written.
    if (!log.isDebugEnabled()) return this.reply(line, session);
    const started = process.hrtime.bigint();
    const reply = await this.reply(line, session);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.debug('command', { client: session.name, command: line, reply, ms: Math.round(ms * 1000) / 1000 });
    return reply;
  }

  private async reply(line: string, session: Session): Promise<string> {
    try {
      if (line.trim() === '') {
        session.closeAfterReply();
        return 'OK';
      }
      const command = parseCommand(line);
      if (!command) return 'OK';
      const spec = this.resolve(command);
      return formatReply(await spec.run(bindArguments(spec, command.args, command.kwargs), { session }));
    } catch (error) {
      return formatError(error);
    }
  }

  private resolve({ tool, method }: Command): CommandSpec {
    if (tool === undefined) {
      const spec = this.builtins.lookup(BUILTINS, method.toLowerCase()) ?? this.registry.lookup(DEFAULT_TOOL, method);
      if (!spec) throw new UnknownCommandError(method);
      return spec;
    }
    // `api.help TOOL` as azcam consoles may write it.
    if (tool === DEFAULT_TOOL && method === this.help.name && !this.registry.lookup(tool, method)) return this.help;
    if (!this.registry.has(tool)) throw new UnknownToolError(tool);
    const spec = this.registry.lookup(tool, method);
    if (!spec) throw new UnknownCommandError(`${tool}.${method}`);
    return spec;
  }
}
