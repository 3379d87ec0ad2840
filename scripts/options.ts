/**
 * Option helpers shared by the server and client command lines, so both word a bad value the same
 * way (`--port expects a number, got "abc"`) and lay out --help alike.
 */
import type { Argv } from 'yargs';
import { ConfigError } from '../lib/errors.js';

/*
 * A number flag. It has no yargs type (yargs would turn "abc" into NaN before we could quote it),
 * so the help names the type itself. No yargs default either (only a documented one): a flag
 * that is not given leaves a config file's value in place.
 */
export function numberOption(flag: string, description: string, defaultValue?: number | string) {
  const coerce = (value: unknown): number => {
    const number = String(onlyOnce(flag, value)).trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(number)) throw new ConfigError(`--${flag} expects a number, got "${String(value)}"`);
    return number;
  };
  const described = { requiresArg: true, description: `${description}  [number]`, coerce } as const;
  return defaultValue === undefined ? described : { ...described, defaultDescription: String(defaultValue) };
}

export function stringOption(flag: string, description: string, defaultValue: string) {
  const coerce = (value: unknown): string => String(onlyOnce(flag, value));
  return { type: 'string', requiresArg: true, description, defaultDescription: defaultValue, coerce } as const;
}

function onlyOnce(flag: string, value: unknown): unknown {
  if (Array.isArray(value)) throw new ConfigError(`--${flag} given more than once`);
  return value;
}

/** --help as wide as the terminal (yargs wraps at 80 columns otherwise). */
export function fullWidth<T>(parser: Argv<T>): Argv<T> {
  const width = parser.terminalWidth();
  return parser.wrap(width ? Math.min(width, 160) : null);
}
