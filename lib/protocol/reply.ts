import { PythonLiteral, pythonRepr } from './python-repr.js';
import { shlexSplit } from './tokenize.js';

/**
 * The one reply formatter. Every command's result, light or heavy, built-in or tool, becomes one
 * reply line here (without the `\r\n` terminator, which the connection adds).
 */
export type ReplyStatus = 'OK' | 'ERROR' | 'WARNING';

const STATUS_PREFIX = /^(OK|ERROR|WARNING)(?=\s|$)/;
/** Only text with one of these can fail `shlex.split`. */
const QUOTES_OR_BACKSLASH = /['"\\]/;

export function formatReply(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'OK';
  if (typeof value === 'string') return stringReply(value);
  if (Array.isArray(value)) return arrayReply(value);
  if (isPlainObject(value)) return `OK ${pythonJson(value)}`;
  return oneLine(`OK ${formatScalar(value)}`);
}

/**
 * `ERROR message`; never throws, whatever was thrown. azcam's console `shlex.split`s every reply,
 * errors too, so a message it could not split (an apostrophe: `detector's`) is sent in double
 * quotes, as azcam's own `ERROR AzcamError("...")` is: the console then raises its AzcamError,
 * not a ValueError.
 */
export function formatError(error: unknown): string {
  const message = oneLine(errorMessage(error).replace(/^ERROR\s*/, '')).trim();
  // A message that is itself one double-quoted word is quoted again, so errorText gives it back whole.
  const sentAsIs = splittable(message) && !message.startsWith('"');
  return message ? `ERROR ${sentAsIs ? message : doubleQuoted(message)}` : 'ERROR';
}

/**
 * azcam strips the whole reply, so white space at its end never reaches the client; and a string
 * that starts with a status word is the reply line itself, as azcam sends it (its text after the
 * status word held to the same rule: the console must be able to split it).
 */
function stringReply(value: string): string {
  const text = oneLine(value).trimEnd();
  const status = STATUS_PREFIX.exec(text)?.[1];
  if (status === undefined) return text ? `OK ${splittableOr(text)}` : 'OK';
  const rest = text.slice(status.length).trimStart();
  return splittable(rest) ? text : `${status} ${doubleQuoted(rest)}`;
}

/**
 * The text as azcam sends it, unless azcam's console could not `shlex.split` it (an apostrophe,
 * a final backslash): then in double quotes, so the console reads it as one word rather than raise.
 */
function splittableOr(text: string): string {
  return splittable(text) ? text : doubleQuoted(text);
}

function splittable(text: string): boolean {
  if (!QUOTES_OR_BACKSLASH.test(text)) return true;
  try {
    shlexSplit(text);
    return true;
  } catch {
    return false;
  }
}

/** A reply line for readers that do not split it (the web API's `message`): its error message unquoted. */
export function readableReply(line: string): string {
  const { status, text } = splitReply(line);
  return text ? `${status} ${errorText(text)}` : status;
}

/** An error's text as formatError was given it: the message itself when it came double-quoted. */
export function errorText(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    const words = shlexSplit(text);
    return words.length === 1 && doubleQuoted(words[0]!) === text ? words[0]! : text;
  } catch {
    return text;
  }
}

/** In double quotes, as `shlex.split` reads them back: `\` before each `"` and `\`. */
function doubleQuoted(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Python's `repr(float)`: `1.0`, `-0.5`, `1e-07`, `1e+16`, `nan`, `inf`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '-0.0';
  // Both languages print the shortest digits that round-trip; Python switches to an exponent
  // below 1e-4 and from 1e16 on (JavaScript only below 1e-6 and from 1e21), and writes it with
  // at least two digits.
  const magnitude = Math.abs(value);
  if (magnitude === 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
    const fixed = String(value);
    return fixed.includes('.') ? fixed : `${fixed}.0`;
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
}

/** Whether the line begins with a status word (every reply does; a welcome line does not). */
export function hasReplyStatus(line: string): boolean {
  return STATUS_PREFIX.test(line);
}

/** Whether the reply line is an OK (not ERROR or WARNING, nor a line that merely starts `OK…`). */
export function isOkReply(line: string): boolean {
  return replyStatus(line) === 'OK';
}

/** The status word a reply line starts with; ERROR for a line without one. */
export function replyStatus(line: string): ReplyStatus {
  // Nearly every reply is an OK: known without the pattern.
  if (line.startsWith('OK') && (line.length === 2 || line[2] === ' ')) return 'OK';
  return (STATUS_PREFIX.exec(line)?.[1] as ReplyStatus | undefined) ?? 'ERROR';
}

/** Splits a reply line into its status and the text after it. */
export function splitReply(line: string): { status: ReplyStatus; text: string } {
  const match = STATUS_PREFIX.exec(line);
  if (!match) return { status: 'ERROR', text: `malformed reply: ${line}` };
  return { status: match[1] as ReplyStatus, text: line.slice(match[0].length).trim() };
}

function errorMessage(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * azcam's list reply: each element as `str(x)` gives it, a string holding a space in single quotes
 * (`OK 1.0 'Exposure time' float`), joined by spaces and stripped; so an empty string leaves only
 * its space (`OK 2.5  float`), and a list or dict in the list is its Python repr, unquoted. Only
 * when the console could not split that line is each element it could not split double-quoted.
 */
function arrayReply(elements: readonly unknown[]): string {
  // One pass: every light command's list reply (get_temperatures) is built here.
  let line = '';
  for (const element of elements) line += ` ${azcamWord(element, elementText(element))}`;
  line = line.trim();
  if (!splittable(line)) line = elements.map(splittableWord).join(' ').trim();
  return line ? `OK ${line}` : 'OK';
}

/** An element as azcam's list reply writes it: a string holding a space in single quotes. */
function azcamWord(element: unknown, text: string): string {
  return typeof element === 'string' && text.includes(' ') ? `'${text}'` : text;
}

/** The element as azcam writes it if the console can split that (also as it may end the line, stripped: a backslash then `\v`), else double-quoted. */
function splittableWord(element: unknown): string {
  const text = elementText(element);
  const word = azcamWord(element, text);
  return splittable(word) && splittable(word.trim()) ? word : doubleQuoted(text);
}

function formatScalar(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  return String(value);
}

/** Python's `str(x)` of a list element, on one line. */
function elementText(value: unknown): string {
  if (typeof value === 'string') return oneLine(value);
  if (isPlainObject(value) || Array.isArray(value) || value instanceof PythonLiteral) return oneLine(pythonRepr(value));
  return formatScalar(value);
}

/**
 * JSON spaced as Python's `json.dumps` spaces it (`{"a": 1, "b": [1, 2]}`), as azcam sends it:
 * a lab script may look for `"exposurestate": "NONE"` in the text rather than parse it.
 */
export function pythonJson(value: unknown): string {
  return withPythonSeparators(compactJson(value));
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (error instanceof TypeError && /circular/i.test(error.message)) throw new TypeError('cannot reply with a circular structure');
    throw error;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/** JSON.stringify's compact text with a space after each `,` and `:` outside strings. */
function withPythonSeparators(json: string): string {
  let spaced = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === COMMA || code === COLON) {
      spaced += `${json.slice(from, i + 1)} `;
      from = i + 1;
    }
  }
  return spaced + json.slice(from);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function oneLine(text: string): string {
  // Looking first is twice as fast as a replace that finds nothing, and nearly every reply is one line.
  return text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]+/g, ' ') : text;
}
