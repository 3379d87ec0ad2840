/**
 * The header keywords of one camera's images: the ones the camera keeps current (EXPTIME follows
 * the exposure time) and the ones clients set. `snapshot` freezes them as FITS cards when an
 * exposure starts, so later changes cannot reach a running exposure's header.
 */
import { InvalidArgumentError } from '../errors.js';
import { toInteger, toNumber } from '../dispatch/arguments.js';
import { pythonFloat } from '../protocol/reply.js';
import { fitsFloat, isMandatoryKeyword, validateCard, type HeaderCard } from '../readout/fits.js';

/** azcam's type names. */
export const KEYWORD_TYPES = ['str', 'int', 'float'] as const;
export type KeywordType = (typeof KEYWORD_TYPES)[number];
export type KeywordValue = string | number;

export interface Keyword {
  value: KeywordValue;
  comment: string;
  type: KeywordType;
}

/** A keyword whose value the camera supplies, read whenever it is asked for. */
export interface LiveKeyword {
  comment: string;
  type: KeywordType;
  read(): KeywordValue;
}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export class HeaderKeywords {
  readonly #live: ReadonlyMap<string, LiveKeyword>;
  readonly #set = new Map<string, Keyword>();

  constructor(live: Record<string, LiveKeyword>) {
    this.#live = new Map(Object.entries(live));
  }

  /** Sets a keyword from a client's strings; without a type, one is inferred from the value. */
  set(name: string, raw: string, comment = '', type?: string): void {
    const key = name.toUpperCase();
    if (this.#live.has(key)) throw new InvalidArgumentError(`keyword ${key} is set by the camera`);
    // Written by the FITS encoder itself; a client's value would break the file.
    if (isMandatoryKeyword(key)) throw new InvalidArgumentError(`keyword ${key} is written by the FITS encoder`);
    const keyword = parseKeyword(raw, comment, type === undefined ? inferType(raw) : keywordType(type));
    validateCard(toCard(key, keyword));
    this.#set.set(key, keyword);
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
  if (INTEGER.test(raw) && Number.isSafeInteger(Number(raw))) return 'int';
  return FLOAT.test(raw) ? 'float' : 'str';
}

function parseKeyword(raw: string, comment: string, type: KeywordType): Keyword {
  const value = type === 'int' ? toInteger(raw, 'keyword value') : type === 'float' ? toNumber(raw, 'keyword value') : raw;
  return { value, comment, type };
}
