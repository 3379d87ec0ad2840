import { log } from '../log.js';
import { UnknownCommandError, UnknownToolError } from '../errors.js';
import type { Command } from '../protocol/parse.js';
import { ParseCache } from '../protocol/parse-cache.js';
import { formatError, formatReply, replyStatus, type ReplyStatus } from '../protocol/reply.js';
import { bindArguments } from './arguments.js';
import type { CommandSpec, ToolSpec } from './command.js';
import { helpCommand } from './help.js';
import { ToolRegistry } from './registry.js';
import { whenAnswered, type Answer } from './answer.js';
import type { Session } from './session.js';

/**
 * Whether the log level (--log-level) writes the command log, debug entries. Asked of the level
 * alone: winston's isDebugEnabled, which asks every transport too, cost 0.8 µs a command, a
 * quarter of a light command's time. Our transports have no levels of their own.
 */
function commandLogOn(): boolean {
  return (log.levels[log.level] ?? 0) >= log.levels['debug']!;
}

/** The tool that answers a bare `method` that is not a built-in. */
export const DEFAULT_TOOL = 'api';
const BUILTINS = '';
/** The tool name outcomes carry for a built-in (`echo`, `register`, `help`, ...). */
export const BUILTIN_TOOL = 'builtin';
/** Tool and command of an outcome whose line named nothing callable (bounded label values for metrics). */
export const UNKNOWN = 'unknown';

/** What became of one command: for metrics, and for callers (the web API) that need the error itself. */
export interface CommandOutcome {
  /** The registered tool that ran it, BUILTIN_TOOL, or UNKNOWN. */
  tool: string;
  command: string;
  /** The reply line, exactly as a socket client receives it (no terminator). */
  reply: string;
  status: ReplyStatus;
  /** What the handler threw, when the reply is an ERROR. */
  error?: unknown;
  /** What the handler returned, when it did (the web API answers a string with the string itself). */
  value?: unknown;
  /** The handler returned a promise (it waited for a readout or a timer) rather than answering at once. */
  heavy: boolean;
  seconds: number;
  session: Session;
}

export type CommandObserver = (outcome: CommandOutcome) => void;

interface Resolved {
  tool: string;
  spec: CommandSpec;
  /** The registry's version it was looked up in. */
  version: number;
}

/**
 * The one dispatcher: every line from every connection, and every web API call, comes here and
 * leaves as one reply line.
 * Handlers may be synchronous (light commands, answered on the main thread) or return a promise
 * (heavy ones hand their work to the readout pool and await it, leaving the main thread free).
 */
export class Dispatcher {
  // The built-ins are this dispatcher's own: the tool registry may be shared (two servers, tests).
  private readonly builtins: ToolRegistry;
  private readonly help: CommandSpec;
  private readonly parsed = new ParseCache();
  /** By parsed command: the parse cache hands out the same frozen command for the same line. */
  private readonly resolved = new WeakMap<Command, Resolved>();

  constructor(
    private readonly registry: ToolRegistry,
    builtins: ToolSpec = { description: 'No built-ins', commands: [] },
    private readonly observer: CommandObserver = () => undefined,
  ) {
    this.help = helpCommand(registry);
    this.builtins = new ToolRegistry().register(BUILTINS, { ...builtins, commands: [...builtins.commands, this.help] });
  }

  /**
   * Runs one command line; never throws. The reply line (no terminator) comes back at once when
   * the command answered at once, and as a promise when it waits: the light path makes no promise.
   */
  execute(line: string, session: Session): Answer<string> {
    if (!commandLogOn()) return this.reply(line, session);
    const started = process.hrtime.bigint();
    return whenAnswered(this.reply(line, session), (reply) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug('command', { client: session.name, command: line, reply, ms: Math.round(ms * 1000) / 1000 });
      return reply;
    });
  }

  /** Runs one parsed command (the web API's way in); never throws nor rejects (unless its observer does). */
  run(command: Command, session: Session): Answer<CommandOutcome> {
    const started = performance.now();
    let resolved: Resolved | undefined;
    let result: unknown;
    let reply: string;
    try {
      resolved = this.resolve(command);
      const { spec } = resolved;
      result = spec.run(bindArguments(spec, command.args, command.kwargs), { session, line: command.line });
      if (result instanceof Promise) return this.settled(resolved, session, started, result);
      reply = formatReply(result);
    } catch (thrown) {
      return this.observed(resolved, session, started, formatError(thrown), false, thrown);
    }
    return this.observed(resolved, session, started, reply, false, undefined, result);
  }

  private settled(resolved: Resolved, session: Session, started: number, result: Promise<unknown>): Promise<CommandOutcome> {
    // A value that cannot be formatted is this command's error, as a rejection is.
    return result.then((value) => ({ value, reply: formatReply(value) })).then(
      ({ value, reply }) => this.observed(resolved, session, started, reply, true, undefined, value),
      (error: unknown) => this.observed(resolved, session, started, formatError(error), true, error),
    );
  }

  private observed(resolved: Resolved | undefined, session: Session, started: number, reply: string, heavy: boolean, error?: unknown, value?: unknown): CommandOutcome {
    const seconds = (performance.now() - started) / 1000;
    const outcome = { tool: resolved?.tool ?? UNKNOWN, command: resolved?.spec.name ?? UNKNOWN, reply, status: replyStatus(reply), error, value, heavy, seconds, session };
    this.observer(outcome);
    return outcome;
  }

  private reply(line: string, session: Session): Answer<string> {
    if (line.trim() === '') {
      session.closeAfterReply();
      return 'OK';
    }
    let command: Command | undefined;
    try {
      command = this.parsed.parse(line);
    } catch (error) {
      const reply = formatError(error);
      this.observer({ tool: UNKNOWN, command: UNKNOWN, reply, status: 'ERROR', error, heavy: false, seconds: 0, session });
      return reply;
    }
    return command ? whenAnswered(this.run(command, session), (outcome) => outcome.reply) : 'OK';
  }

  /** The command a parsed line names, looked up once per cached (frozen) command, and again after a registration. */
  private resolve(command: Command): Resolved {
    const cached = Object.isFrozen(command);
    const known = cached ? this.resolved.get(command) : undefined;
    if (known?.version === this.registry.version) return known;
    const resolved = { ...this.lookup(command), version: this.registry.version };
    if (cached) this.resolved.set(command, resolved);
    return resolved;
  }

  private lookup({ tool, method }: Command): Omit<Resolved, 'version'> {
    if (tool === undefined) {
      const builtin = this.builtins.lookup(BUILTINS, method.toLowerCase());
      if (builtin) return { tool: BUILTIN_TOOL, spec: builtin };
      const spec = this.registry.lookup(DEFAULT_TOOL, method);
      if (!spec) throw new UnknownCommandError(method);
      return { tool: DEFAULT_TOOL, spec };
    }
    // `api.help TOOL` as azcam consoles may write it.
    if (tool === DEFAULT_TOOL && method === this.help.name && !this.registry.lookup(tool, method)) return { tool, spec: this.help };
    const spec = this.registry.lookup(tool, method);
    if (spec) return { tool, spec };
    throw this.registry.has(tool) ? new UnknownCommandError(`${tool}.${method}`) : new UnknownToolError(tool);
  }
}
