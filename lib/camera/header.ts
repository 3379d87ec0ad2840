/**
 * The header keywords of one camera's images: the ones the camera keeps current (EXPTIME follows
 * the exposure time) and the ones clients set. `snapshot` freezes them as FITS cards when an
 * exposure starts, so later changes cannot reach a running exposure's header.
 */
import { CommandError, InvalidArgumentError } from '../errors.js';
import { arg, command, query, type CommandSpec } from '../dispatch/command.js';
import { DECIMAL } from '../dispatch/arguments.js';
import { pythonFloat } from '../protocol/reply.js';
import { PythonLiteral } from '../protocol/python-repr.js';
import { fitsFloat, MAX_COMMENT, MAX_STRING, quotedLength, validateCard, type HeaderCard } from '../readout/fits.js';
import { noOp } from './no-op.js';
import { finitePythonFloatOf, pythonIntOf } from './python-numbers.js';
import { isProtectedKeyword, standardType, standardValueProblem, type StandardType } from '../readout/fits-keywords.js';

/** azcam's type names. */
export const KEYWORD_TYPES = ['str', 'int', 'float'] as const;
export type KeywordType = (typeof KEYWORD_TYPES)[number];
export type KeywordValue = string | number | bigint;

export interface Keyword {
  value: KeywordValue;
  comment: string;
  type: KeywordType;
}

/** A client's keyword as `set_keyword` takes it; `origin` says where it came from (a header file's line). */
export interface KeywordSetting {
  name: string;
  raw: string;
  comment?: string | undefined;
  type?: string | undefined;
  origin?: string;
}

/** A keyword whose value the camera supplies, read whenever it is asked for. */
export interface LiveKeyword {
  comment: string;
  type: KeywordType;
  read(): KeywordValue;
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Keywords a client may set per camera. Each is one 80-byte card, so this also bounds the header
 * (about 80 KB) and the `get_keywords` reply; without it a flood of set_keyword exhausted memory.
 */
export const MAX_CLIENT_KEYWORDS = 1000;

/** The azcam type a client may give a keyword whose type the FITS standard fixes; the first is implied. */
const TYPES_FOR_STANDARD: Record<StandardType, readonly KeywordType[]> = {
  string: ['str'],
  date: ['str'],
  integer: ['int'],
  real: ['float', 'int'],
};

export class HeaderKeywords {
  readonly #live: ReadonlyMap<string, LiveKeyword>;
  readonly #set = new Map<string, Keyword>();

  constructor(live: Record<string, LiveKeyword>) {
    this.#live = new Map(Object.entries(live));
  }

  /**
   * Sets a keyword from a client's strings; without a type, one is inferred from the value; without
   * a comment, the keyword keeps the one it had (as azcam does).
   */
  set(name: string, raw: string, comment?: string, type?: string): void {
    this.setAll([{ name, raw, comment, type }]);
  }

  /** Sets every keyword or, if any is refused, none; the error names the setting's `origin`. */
  setAll(settings: readonly KeywordSetting[]): void {
    const checked = new Map<string, Keyword>();
    for (const setting of settings) {
      try {
        const key = this.#clientKey(setting.name);
        checked.set(key, this.#checked(key, setting, checked.get(key) ?? this.#set.get(key)));
      } catch (error) {
        throw errorAt(setting.origin, error);
      }
    }
    const added = [...checked.keys()].filter((key) => !this.#set.has(key)).length;
    if (added > 0 && this.#set.size + added > MAX_CLIENT_KEYWORDS) {
      throw new InvalidArgumentError(`too many keywords: at most ${MAX_CLIENT_KEYWORDS} may be set`);
    }
    for (const [key, keyword] of checked) this.#set.set(key, keyword);
  }

  #checked(key: string, { raw, comment, type }: KeywordSetting, earlier: Keyword | undefined): Keyword {
    // Stripped, as azcam's set_keyword strips a value (FITS strings are printable ASCII, where
    // trim() and Python's strip() agree).
    const keyword = typedKeyword(key, raw.trim(), comment ?? earlier?.comment ?? '', type);
    validateCard(toCard(key, keyword));
    checkFitsOneCard(key, keyword);
    return keyword;
  }

  /** Removes a keyword a client set; deleting one that is not there is not an error (azcam). */
  delete(name: string): void {
    this.#set.delete(this.#clientKey(name));
  }

  #clientKey(name: string): string {
    const key = name.toUpperCase();
    if (this.#live.has(key)) throw new InvalidArgumentError(`keyword ${key} is set by the camera`);
    // Written by the readout or reserved by the standard: a client's value would make the file lie.
    if (isProtectedKeyword(key)) throw new InvalidArgumentError(`keyword ${key} is reserved: written by the server or not allowed by the FITS standard`);
    return key;
  }

  get(name: string): Keyword {
    const key = name.toUpperCase();
    const live = this.#live.get(key);
    const keyword = live ? { value: live.read(), comment: live.comment, type: live.type } : this.#set.get(key);
    if (!keyword) throw new InvalidArgumentError(`unknown keyword: ${name}`);
    return keyword;
  }

  names(): string[] {
    return [...this.#live.keys(), ...this.#set.keys()];
  }

  /** The header as it is now, as frozen cards; `values` replaces the camera's value of a keyword. */
  snapshot(values: Readonly<Record<string, KeywordValue>> = {}): readonly HeaderCard[] {
    const cards = this.names().map((key) => {
      const keyword = this.get(key);
      return Object.freeze(toCard(key, { ...keyword, value: values[key] ?? keyword.value }));
    });
    return Object.freeze(cards);
  }
}

/**
 * azcam's header commands, which every tool has (`exposure.set_keyword`, `tempcon.get_keywords`,
 * ...). The camera writes one primary header, so every tool reaches the same keywords.
 */
export function headerCommands(header: HeaderKeywords): CommandSpec[] {
  return [
    query('get_keyword', "Return a keyword's value, comment and type", [arg.str('keyword')], ({ keyword }) => keywordReply(header.get(keyword))),
    query('get_keywords', 'Return the names of all header keywords, sorted', [], () => sortedNames(header)),
    command(
      'set_keyword',
      'Set a keyword value, comment, and type (str, int or float; inferred when none)',
      [arg.str('keyword'), arg.str('value'), arg.str('comment', null), arg.str('typestring', null)],
      ({ keyword, value, comment, typestring }) => header.set(keyword, value, comment ?? undefined, typestring ?? undefined),
    ),
    command('delete_keyword', 'Delete a keyword', [arg.str('keyword')], ({ keyword }) => header.delete(keyword)),
    query('read_header', 'Return the header: [keyword, value, comment, type] for each keyword, sorted', [], () =>
      sortedNames(header).map((name) => headerLine(name, header.get(name))),
    ),
    noOp('update_header', 'Update the header, reading current data'),
  ];
}

/** A command's error as raised by the line at `origin` (a header file's); without one, or any other error, as it is. */
export function errorAt(origin: string | undefined, error: unknown): unknown {
  return origin && error instanceof CommandError ? new InvalidArgumentError(`${origin}: ${error.message}`) : error;
}

/** azcam's Header.get_keywords sorts the names (the FITS header keeps its own order). */
function sortedNames(header: HeaderKeywords): string[] {
  return header.names().sort();
}

/** One of `read_header`'s lines, each a Python list in the reply: `['EXPTIME', 1.0, 'Exposure time (seconds)', 'float']`. */
function headerLine(name: string, { value, comment, type }: Keyword): [string, string | PythonLiteral, string, KeywordType] {
  if (type === 'str') return [name, String(value), comment, type];
  return [name, new PythonLiteral(type === 'float' ? pythonFloat(Number(value)) : String(value)), comment, type];
}

/** `get_keyword`'s reply: value, comment, type (`1.0 'Exposure time (seconds)' float`). */
export function keywordReply({ value, comment, type }: Keyword): string[] {
  return [type === 'float' ? pythonFloat(Number(value)) : String(value), comment, type];
}

function toCard(key: string, { value, comment, type }: Keyword): HeaderCard {
  return { key, value: type === 'float' ? fitsFloat(Number(value)) : value, comment };
}

function keywordType(name: string): KeywordType {
  const type = name.toLowerCase();
  if (!(KEYWORD_TYPES as readonly string[]).includes(type)) {
    throw new InvalidArgumentError(`invalid keyword type: ${name} (use ${KEYWORD_TYPES.join(', ')})`);
  }
  return type as KeywordType;
}

function inferType(raw: string): KeywordType {
  if (INTEGER.test(raw)) return 'int';
  return DECIMAL.test(raw) ? 'float' : 'str';
}

/** The client's value as the type given, inferred, or fixed by the FITS standard for this keyword. */
function typedKeyword(key: string, raw: string, comment: string, type: string | undefined): Keyword {
  const standard = standardType(key);
  const allowed = standard && TYPES_FOR_STANDARD[standard];
  const chosen = type !== undefined ? keywordType(type) : allowed ? allowed[0] : inferType(raw);
  if (allowed && !allowed.includes(chosen)) throw new InvalidArgumentError(`keyword ${key} must be of type ${allowed.join(' or ')}`);
  // Python's int() is the rule for a type the client names; azcam, given none, keeps any text.
  const parsed = parseKeyword(type === undefined && chosen === 'int' ? wholeNumberText(raw) : raw, comment, chosen);
  // A real keyword given as an int is read as int() reads it, then written as the float the standard fixes.
  const keyword = standard === 'real' ? { ...parsed, value: Number(parsed.value), type: 'float' as const } : parsed;
  const problem = typeof keyword.value === 'string' ? standardValueProblem(key, keyword.value) : undefined;
  if (problem) throw new InvalidArgumentError(`invalid keyword value for ${key}: ${raw} (${problem})`);
  return keyword;
}

/** One card per keyword: a longer value or comment would be cut in the file, so it is refused here. */
function checkFitsOneCard(key: string, { value, comment }: Keyword): void {
  if (typeof value === 'string' && quotedLength(value) > MAX_STRING) {
    throw new InvalidArgumentError(`keyword value for ${key} too long: at most ${MAX_STRING} characters fit a FITS card`);
  }
  if (comment.length > MAX_COMMENT) throw new InvalidArgumentError(`comment for ${key} too long: at most ${MAX_COMMENT} characters`);
}

/** `2.0` and `2e0` as `2`, for an integer keyword given without a type (`WCSAXES 2.0`); any other text as it is. */
function wholeNumberText(raw: string): string {
  const value = finitePythonFloatOf(raw);
  return value !== undefined && Number.isSafeInteger(value) ? String(value) : raw;
}

function parseKeyword(raw: string, comment: string, type: KeywordType): Keyword {
  return { value: keywordValue(raw, type), comment, type };
}

/** What a number type takes, for the error that refuses a value (no apostrophe: the reply stays unquoted). */
const NUMBER_FORMS = {
  int: 'int: an optional sign and decimal digits, as Python int() reads them',
  float: 'float: a finite decimal number, as Python float() reads it',
};

/**
 * The value as azcam's set_keyword converts it, with str(), int() or float(): refused where Python's
 * int() or float() raises, and a float that is not finite (FITS has none).
 */
function keywordValue(raw: string, type: KeywordType): KeywordValue {
  if (type === 'str') return raw;
  const value = type === 'int' ? keywordInteger(raw) : finitePythonFloatOf(raw);
  if (value === undefined) throw new InvalidArgumentError(`invalid keyword value: ${raw} (${NUMBER_FORMS[type]})`);
  return value;
}

/** An int as Python's int() keeps it: past 2^53 a bigint, every digit written to the card. */
function keywordInteger(raw: string): number | bigint | undefined {
  const value = pythonIntOf(raw);
  if (value === undefined) return undefined;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}
