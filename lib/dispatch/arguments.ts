import { InvalidArgumentError } from '../errors.js';

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'f', 'n']);

/**
 * A command's arguments, as the handler sees them. Every argument arrives as a string; these
 * accessors convert and validate, so a bad value is `ERROR invalid exposure time: abc`, never a
 * crash. An argument is found by position, or by keyword (`exposure_time=2.5`) under `name`.
 */
export class Arguments {
  constructor(
    readonly positional: readonly string[],
    readonly keywords: Readonly<Record<string, string>> = {},
  ) {}

  /**
   * Refuses more than `max` positional arguments, and any keyword argument not in `keywords`
   * (typos in lab scripts must not pass silently).
   */
  atMost(max: number, keywords: readonly string[] = []): this {
    if (this.positional.length > max) {
      throw new InvalidArgumentError(`too many arguments: expected at most ${max}, got ${this.positional.length}`);
    }
    const unknown = Object.keys(this.keywords).filter((name) => !keywords.includes(name));
    if (unknown.length) throw new InvalidArgumentError(`unknown keyword argument: ${unknown.join(', ')}`);
    return this;
  }

  optionalString(index: number, name: string): string | undefined {
    return this.positional[index] ?? (Object.hasOwn(this.keywords, name) ? this.keywords[name] : undefined);
  }

  string(index: number, name: string): string {
    const value = this.optionalString(index, name);
    if (value === undefined) throw new InvalidArgumentError(`missing ${describe(name)}`);
    return value;
  }

  optionalNumber(index: number, name: string): number | undefined {
    const raw = this.optionalString(index, name);
    return raw === undefined ? undefined : toNumber(raw, name);
  }

  number(index: number, name: string): number {
    return toNumber(this.string(index, name), name);
  }

  optionalInteger(index: number, name: string): number | undefined {
    const raw = this.optionalString(index, name);
    return raw === undefined ? undefined : toInteger(raw, name);
  }

  integer(index: number, name: string): number {
    return toInteger(this.string(index, name), name);
  }

  boolean(index: number, name: string): boolean {
    return toBoolean(this.string(index, name), name);
  }

  /** All positional arguments from `index` on, joined by spaces (an unquoted title). */
  rest(index: number): string {
    return this.positional.slice(index).join(' ');
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
