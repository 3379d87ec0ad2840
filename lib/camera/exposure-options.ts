/**
 * azcam's exposure tool attributes that its parameter table reaches beyond the image settings
 * (`savefile` is `exposure.save_file`, ...), with azcam's defaults. `set_par` keeps any value,
 * typed as azcam's `get_datatype` types it, and a flag counts as on as Python's truth does
 * ("0" is an int 0, off; "abc" is on). Only `flusharray` changes what an exposure does; the
 * others are kept and reported (the README says why).
 */
import { azcamDatatype, typedText, type Typed } from './datatype.js';
import { word } from './replies.js';

export const EXPOSURE_OPTION_DEFAULTS = {
  savefile: 1,
  displayimage: 1,
  flusharray: 1,
  sendimage: 0,
  tdimode: 0,
  tdidelay: 5,
  pardelay: 5,
  exposureguidemode: 0,
  exposureguidestatus: 0,
  exposureupdatingheader: 0,
  logcommands: 0,
} as const;

export type ExposureOptionName = keyof typeof EXPOSURE_OPTION_DEFAULTS;

export class ExposureOptions {
  readonly #values = new Map<ExposureOptionName, Typed>(
    Object.entries(EXPOSURE_OPTION_DEFAULTS).map(([name, value]) => [name as ExposureOptionName, { type: 'int', value: BigInt(value) }]),
  );

  /** As get_par replies it. */
  reply(name: ExposureOptionName): string | string[] {
    const typed = this.#values.get(name)!;
    return typed.type === 'str' ? word(typed.value) : typedText(typed);
  }

  set(name: ExposureOptionName, raw: string): void {
    this.#values.set(name, azcamDatatype(raw));
  }

  /** Python's truth of the value: 0, 0.0 and the empty string are off. */
  isOn(name: ExposureOptionName): boolean {
    const { value } = this.#values.get(name)!;
    return value !== 0n && value !== 0 && value !== '';
  }
}
