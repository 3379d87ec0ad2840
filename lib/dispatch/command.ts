/**
 * Commands are declared, never discovered: each tool lists its commands in one table (name, azcam's
 * arguments with their defaults and types, whether the command only reads, a one-line
 * description). The dispatcher binds arguments from the table; `help`, the REPL's completion and
 * the web API read the same table. Nothing is callable because it happens to be a public method.
 */
import type { Session } from './session.js';

/** How a client's word is converted: as azcam's methods do (`int("0")`, `float("2.5")`). */
export type ArgType = 'str' | 'int' | 'float' | 'flag' | 'words' | 'keywords';

export interface ArgSpec<N extends string = string, T = unknown> {
  readonly name: N;
  readonly type: ArgType;
  /** A missing argument is an error unless it has a default (which may be null: Python's None). */
  readonly required: boolean;
  readonly default?: unknown;
  /** Only for the bound value's type. */
  readonly _value?: T;
}

/** One command invocation as a handler receives it. */
export interface Call {
  session: Session;
  /** The command line as received, when it came as one (not from the web API). */
  line?: string | undefined;
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly args: readonly ArgSpec[];
  /** Only reads state (may be answered by GET on the web port). */
  readonly reads: boolean;
  run(args: Readonly<Record<string, unknown>>, call: Call): unknown;
}

/** A tool: its commands, and the sub-objects reached as `tool.sub.method`. */
export interface ToolSpec {
  readonly description: string;
  readonly commands: readonly CommandSpec[];
  readonly subtools?: Readonly<Record<string, ToolSpec>>;
}

type Bound<A extends readonly ArgSpec[]> = { [S in A[number] as S['name']]: S extends ArgSpec<string, infer T> ? T : never };
type Handler<A extends readonly ArgSpec[]> = (args: Bound<A>, call: Call) => unknown;

function spec(name: string, type: ArgType, options: { default?: unknown } | undefined): ArgSpec {
  return options ? { name, type, required: false, default: options.default } : { name, type, required: true };
}

function optional(dflt: unknown[]): { default?: unknown } | undefined {
  return dflt.length ? { default: dflt[0] } : undefined;
}

function str<N extends string>(name: N): ArgSpec<N, string>;
function str<N extends string, D extends string | null>(name: N, dflt: D): ArgSpec<N, string | D>;
function str(name: string, ...dflt: unknown[]): ArgSpec {
  return spec(name, 'str', optional(dflt));
}

function int<N extends string>(name: N): ArgSpec<N, number>;
function int<N extends string, D extends number | null>(name: N, dflt: D): ArgSpec<N, number | D>;
function int(name: string, ...dflt: unknown[]): ArgSpec {
  return spec(name, 'int', optional(dflt));
}

function float<N extends string>(name: N): ArgSpec<N, number>;
function float<N extends string, D extends number | null>(name: N, dflt: D): ArgSpec<N, number | D>;
function float(name: string, ...dflt: unknown[]): ArgSpec {
  return spec(name, 'float', optional(dflt));
}

/** 0/1 (also true/false, yes/no, on/off). */
function flag<N extends string>(name: N): ArgSpec<N, boolean>;
function flag<N extends string, D extends boolean | null>(name: N, dflt: D): ArgSpec<N, boolean | D>;
function flag(name: string, ...dflt: unknown[]): ArgSpec {
  return spec(name, 'flag', optional(dflt));
}

/**
 * Argument declarations. Without a default the argument is required; `arg.int('roi_num', 0)` is
 * optional with default 0; a default of `null` is Python's None (the handler decides what it means).
 */
export const arg = {
  str,
  int,
  float,
  flag,
  /** Python's `*args`: every remaining positional word (last argument only). */
  words<N extends string>(name: N): ArgSpec<N, string[]> {
    return { name, type: 'words', required: false, default: [] };
  },
  /** Python's `**kwargs`: every `key=value` no other argument takes (last argument only). */
  keywords<N extends string>(name: N): ArgSpec<N, Record<string, string>> {
    return { name, type: 'keywords', required: false, default: {} };
  },
};

/** A command that changes state. */
export function command<const A extends readonly ArgSpec[]>(name: string, description: string, args: A, run: Handler<A>): CommandSpec {
  return { name, description, args, reads: false, run: run as CommandSpec['run'] };
}

/** A command that only reads state. */
export function query<const A extends readonly ArgSpec[]>(name: string, description: string, args: A, run: Handler<A>): CommandSpec {
  return { name, description, args, reads: true, run: run as CommandSpec['run'] };
}

/**
 * The same command under another name, or with other argument names or defaults (azcam's `api`
 * short forms reach the tools' commands: `initialize_exposure` is `exposure.initialize`). The
 * replacement arguments bind by position to the original's.
 */
export function alias(original: CommandSpec, name = original.name, args?: readonly ArgSpec[]): CommandSpec {
  if (!args) return { ...original, name };
  const run = (bound: Readonly<Record<string, unknown>>, call: Call): unknown =>
    original.run(Object.fromEntries(original.args.map((a, index) => [a.name, bound[args[index]?.name ?? a.name]])), call);
  return { ...original, name, args, run };
}

/** The command `name` from a table (a missing one is a programming error, found at start). */
export function pick(commands: readonly CommandSpec[], name: string): CommandSpec {
  const found = commands.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name} in the table`);
  return found;
}

/** `expose [exposure_time=-1] [imagetype=''] [title='']`, for help and completion. */
export function signature(command: CommandSpec): string {
  return [command.name, ...command.args.map(describeArg)].join(' ');
}

function describeArg(a: ArgSpec): string {
  if (a.type === 'words') return `[${a.name}...]`;
  if (a.type === 'keywords') return `[${a.name}=...]`;
  return a.required ? a.name : `[${a.name}=${pythonRepr(a.default)}]`;
}

/** A default as Python would write it (None, 0, -1), strings in double quotes: "zero". */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}
