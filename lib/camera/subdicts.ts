import { InvalidArgumentError } from '../errors.js';
import { log } from '../log.js';
import { typedText, type Typed } from './datatype.js';

/**
 * Names clients may keep in subdicts, all subdicts together. Every change is saved to the
 * parameter file, so this also bounds its size and the work of each write; without it a flood of
 * set_par grew the file past a megabyte and stalled every client for seconds.
 */
export const MAX_SUBDICT_NAMES = 1000;

/**
 * Bytes of subdict names, names and values kept in all subdicts together, as the parameter file
 * holds them (JSON-escaped, UTF-8): a value, or a subdict's name, may be a whole 64 KiB line.
 */
export const MAX_SUBDICT_TEXT = 1024 * 1024;

/**
 * The subdicts of names the server does not know, within the limits above. A parameter file
 * written by hand, or before the limits, may hold more: it is loaded whole (and so saved whole),
 * a warning is logged, and only new names, or a longer text, are refused until it is back within
 * them.
 */
export class Subdicts {
  readonly #dicts = new Map<string, Map<string, Typed>>();
  #names = 0;
  #text = 0;

  get(dict: string, key: string): Typed | undefined {
    return this.#dicts.get(dict)?.get(key);
  }

  /** Sets a client's value; refused past the limits, unless it adds no name and no text. */
  set(dict: string, key: string, typed: Typed): void {
    const old = this.get(dict, key);
    if (old === undefined && this.#names >= MAX_SUBDICT_NAMES) {
      throw new InvalidArgumentError(`too many parameters: at most ${MAX_SUBDICT_NAMES} names may be kept in subdicts`);
    }
    const growth = textGrowth(dict, key, typed, old);
    if (growth > 0 && this.#text + growth > MAX_SUBDICT_TEXT) {
      throw new InvalidArgumentError(`parameters too long: at most ${MAX_SUBDICT_TEXT} bytes of subdict names, names and values may be kept`);
    }
    this.#put(dict, key, typed, old === undefined, growth);
  }

  /** Sets the parameter file's values at start, beyond the limits too (logged). */
  restore(dicts: ReadonlyMap<string, ReadonlyMap<string, Typed>>): void {
    for (const [dict, values] of dicts) {
      for (const [key, typed] of values) {
        const old = this.get(dict, key);
        this.#put(dict, key, typed, old === undefined, textGrowth(dict, key, typed, old));
      }
    }
    if (this.#names > MAX_SUBDICT_NAMES || this.#text > MAX_SUBDICT_TEXT) {
      log.warn('the parameter file holds more than a client may set: all kept, new names refused', { names: this.#names, characters: this.#text });
    }
  }

  /** As text, as azcam's own parameter file holds it: a float keeps its point. */
  saved(): Record<string, Record<string, string>> {
    return Object.fromEntries([...this.#dicts].map(([dict, values]) => [dict, Object.fromEntries([...values].map(([key, typed]) => [key, typedText(typed)]))]));
  }

  #put(dict: string, key: string, typed: Typed, isNew: boolean, growth: number): void {
    let values = this.#dicts.get(dict);
    if (!values) this.#dicts.set(dict, (values = new Map()));
    if (isNew) this.#names += 1;
    this.#text += growth;
    values.set(key, typed);
  }
}

/** How much the text kept grows when `typed` replaces `old` (none: a new name). */
function textGrowth(dict: string, key: string, typed: Typed, old: Typed | undefined): number {
  return textOf(dict, key, typed) - (old === undefined ? 0 : textOf(dict, key, old));
}

/** An entry's bytes in the file, its subdict's name counted with each (an upper bound, as a limit needs). */
function textOf(dict: string, key: string, typed: Typed): number {
  return Buffer.byteLength(JSON.stringify([dict, key, typedText(typed)]));
}
