import { shlexQuote } from './tokenize.js';

/**
 * The one reply formatter. Every command's result, light or heavy, built-in or tool, becomes one
 * reply line here (without the `\r\n` terminator, which the connection adds).
 */
export type ReplyStatus = 'OK' | 'ERROR' | 'WARNING';

const STATUS_PREFIX = /^(OK|ERROR|WARNING)(?=\s|$)/;

export function formatReply(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'OK';
  if (typeof value === 'string') return oneLine(STATUS_PREFIX.test(value) ? value : `OK ${value}`);
  if (Array.isArray(value)) return oneLine(`OK ${value.map(formatElement).join(' ')}`.trimEnd());
  if (isPlainObject(value)) return `OK ${JSON.stringify(value)}`;
  return oneLine(`OK ${formatScalar(value)}`);
}

export function formatError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(`ERROR ${message.replace(/^ERROR\s*/, '')}`.trimEnd());
}

/** Python's spelling of a float: `1.0`, `-0.5`, `1e-07`, `nan`, `inf`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Splits a reply line into its status and the text after it. */
export function splitReply(line: string): { status: ReplyStatus; text: string } {
  const match = STATUS_PREFIX.exec(line);
  if (!match) return { status: 'ERROR', text: `malformed reply: ${line}` };
  return { status: match[1] as ReplyStatus, text: line.slice(match[0].length).trim() };
}

function formatScalar(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  return String(value);
}

function formatElement(value: unknown): string {
  if (typeof value === 'string') return shlexQuote(value);
  if (isPlainObject(value) || Array.isArray(value)) return shlexQuote(JSON.stringify(value));
  return formatScalar(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
