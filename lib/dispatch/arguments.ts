import { InvalidArgumentError } from '../errors.js';
import type { ArgSpec, CommandSpec } from './command.js';

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'f', 'n']);
/** Python's None as a client writes it: an optional argument given as None takes its default. */
const NONE_WORDS = new Set(['None', 'none']);

/**
 * Binds a command's words to its declared arguments, as Python binds a call to azcam's method:
 * positional words in order, `key=value` by name, defaults for the rest, and each value converted
 * to its declared type (`"0"` → 0). Refuses what Python would (too many arguments, an unknown or
 * doubled keyword, a missing required one) and a value that does not convert.
 */
export function bindArguments(command: CommandSpec, positional: readonly string[], keywords: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const { named, words, extraKeywords } = shapeOf(command);
  if (positional.length > named.length && !words) {
    throw new InvalidArgumentError(`too many arguments: expected at most ${named.length}, got ${positional.length}`);
  }
  // Each named argument's word, by position: given in place, or by keyword.
  const given: (string | undefined)[] = named.map((_, index) => positional[index]);
  let unknown: Record<string, string> | undefined;
  for (const key in keywords) {
    const index = named.findIndex((a) => a.name === key);
    if (index === -1) (unknown ??= Object.create(null) as Record<string, string>)[key] = keywords[key]!;
    else if (given[index] !== undefined) throw new InvalidArgumentError(`multiple values for argument: ${key}`);
    else given[index] = keywords[key];
  }
  if (unknown && !extraKeywords) throw new InvalidArgumentError(`unknown keyword argument: ${Object.keys(unknown).join(', ')}`);
  const bound: Record<string, unknown> = {};
  named.forEach((a, index) => (bound[a.name] = convert(a, given[index])));
  if (words) bound[words.name] = positional.slice(named.length);
  if (extraKeywords) bound[extraKeywords.name] = unknown ?? Object.create(null);
  return bound;
}

/** A command's arguments by kind: the named ones in order, and the catch-alls for extra words and keywords. */
interface ArgShape {
  named: ArgSpec[];
  words: ArgSpec | undefined;
  extraKeywords: ArgSpec | undefined;
}

/** Worked out once per command, not on every call. */
const SHAPES = new WeakMap<CommandSpec, ArgShape>();

function shapeOf(command: CommandSpec): ArgShape {
  let shape = SHAPES.get(command);
  if (!shape) {
    shape = {
      named: command.args.filter((a) => a.type !== 'words' && a.type !== 'keywords'),
      words: command.args.find((a) => a.type === 'words'),
      extraKeywords: command.args.find((a) => a.type === 'keywords'),
    };
    SHAPES.set(command, shape);
  }
  return shape;
}

function convert(a: ArgSpec, raw: string | undefined): unknown {
  if (raw === undefined || (!a.required && NONE_WORDS.has(raw))) {
    if (a.required) throw new InvalidArgumentError(`missing ${describe(a.name)}`);
    return a.default;
  }
  switch (a.type) {
    case 'int':
      return toInteger(raw, a.name);
    case 'float':
      return toNumber(raw, a.name);
    case 'flag':
      return toBoolean(raw, a.name);
    default:
      return raw;
  }
}

/** A decimal number as Python's float() reads one: no hex, octal or binary (`0x10` is not 16). */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function toNumber(raw: string, name: string): number {
  const text = raw.trim();
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`invalid ${describe(name)}: ${raw}`);
  return value;
}

export function toInteger(raw: string, name: string): number {
  const value = toNumber(raw, name);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`invalid ${describe(name)}: ${raw}`);
  return value;
}

export function toBoolean(raw: string, name: string): boolean {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new InvalidArgumentError(`invalid ${describe(name)}: ${raw}`);
}

function describe(name: string): string {
  return name.replaceAll('_', ' ');
}
