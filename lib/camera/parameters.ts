import { basename, dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { toBoolean, toInteger, toNumber } from '../dispatch/arguments.js';
import { pythonFloat } from '../protocol/reply.js';
import { PRINTABLE } from '../readout/fits.js';
import { fullRoi, validateRoi, type DetectorGeometry, type Roi } from '../readout/geometry.js';
import { BIAS_SUBTRACTIONS, checkBiasSubtraction, type BiasSubtraction } from '../readout/overscan.js';
import { IMAGE_FORMATS, type ImageFormat } from '../readout/request.js';

/**
 * azcam's `image_types`, what `get_image_types` lists. Any other type is accepted too, as azcam's
 * `set_image_type` stores any string: azcam takes it for a comparison (its shutter open).
 */
export const IMAGE_TYPES = ['zero', 'object', 'flat', 'dark'] as const;

/** azcam's `shutter_dict`, by image type lower-cased; a type not in it opens the shutter. */
const SHUTTER_CLOSED_TYPES: ReadonlySet<string> = new Set(['zero', 'dark']);

export function opensShutter(imagetype: string): boolean {
  return !SHUTTER_CLOSED_TYPES.has(imagetype.toLowerCase());
}

/** azcam's argument value for "leave this setting as it is". */
export const UNCHANGED = -1;

/** Longest exposure accepted, seconds (a day: far beyond any CCD frame, well inside timer range). */
export const MAX_EXPOSURE_S = 86_400;

/** The camera's settings that `get_par` / `set_par` reach, by their azcam names. */
export interface ParameterValues {
  imagefolder: string;
  imageroot: string;
  imageincludesequencenumber: boolean;
  imagesequencenumber: number;
  imageautoincrementsequencenumber: boolean;
  imageoverwrite: boolean;
  /** Every exposure goes to test.fits, the sequence number untouched. */
  imagetest: boolean;
  /** Put the image type, upper-cased, in the file name (azcam's `imageautoname`). */
  imageautoname: boolean;
  /** As given, any case (azcam keeps it so); an exposure takes it lower-cased. */
  imagetype: string;
  imagetitle: string;
  /** The title follows the image type (azcam's `autotitle`); see autoTitled. */
  autotitle: boolean;
  /** Each exposure flushes the detector as it begins (azcam's `flusharray`). */
  flusharray: boolean;
  /** azcam's other exposure parameters: kept, saved and reported, with no effect here (see the README). */
  savefile: boolean;
  displayimage: boolean;
  sendimage: boolean;
  logcommands: boolean;
  tdimode: boolean;
  tdidelay: number;
  pardelay: number;
  exposureguidemode: boolean;
  exposureguidestatus: boolean;
  exposureupdatingheader: boolean;
  exposuretime: number;
  imageformat: ImageFormat;
  biassubtraction: BiasSubtraction;
  firstcol: number;
  lastcol: number;
  firstrow: number;
  lastrow: number;
  colbin: number;
  rowbin: number;
}

export type ParameterName = keyof ParameterValues;

/** How one parameter is read from a client's string and shown in a reply. */
interface Kind<T> {
  parse(raw: string): T;
  reply(value: T): unknown;
}

function text(label: string, check: (value: string) => string | undefined): Kind<string> {
  return {
    parse(raw) {
      const problem = check(raw);
      if (problem) throw new InvalidArgumentError(`invalid ${label}: ${raw} (${problem})`);
      return raw;
    },
    reply: (value) => value,
  };
}

/** azcam keeps these flags as 0/1, and scripts do `int(get_par(...))`, so they reply 0 or 1. */
function flag(label: string): Kind<boolean> {
  return { parse: (raw) => toBoolean(raw, label), reply: (value) => (value ? 1 : 0) };
}

function integer(label: string, min: number): Kind<number> {
  return { parse: (raw) => inRange(toInteger(raw, label), min, Number.MAX_SAFE_INTEGER, label), reply: (value) => value };
}

function seconds(label: string): Kind<number> {
  return { parse: (raw) => inRange(toNumber(raw, label), 0, MAX_EXPOSURE_S, label), reply: pythonFloat };
}

function choice<T extends string>(label: string, choices: readonly T[]): Kind<T> {
  return {
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (!(choices as readonly string[]).includes(value)) {
        throw new InvalidArgumentError(`invalid ${label}: ${raw} (use ${choices.join(', ')})`);
      }
      return value as T;
    },
    reply: (value) => value,
  };
}

function inRange(value: number, min: number, max: number, label: string): number {
  if (value < min || value > max) throw new InvalidArgumentError(`invalid ${label}: ${value} (must be ${min} to ${max})`);
  return value;
}

const folder = (value: string) => (value.trim() === '' ? 'empty' : PRINTABLE.test(value) ? undefined : 'not printable ASCII');
const root = (value: string) => (/[/\\]/.test(value) ? 'no path separators allowed' : PRINTABLE.test(value) ? undefined : 'not printable ASCII');
const title = (value: string) => (PRINTABLE.test(value) ? undefined : 'not printable ASCII');
/** A type may go into a file name (imageautoname), so it is checked as a root is. */
const imageType = (value: string) => (value.trim() === '' ? 'empty' : root(value));

const KINDS: { readonly [K in ParameterName]: Kind<ParameterValues[K]> } = {
  imagefolder: text('image folder', folder),
  imageroot: text('image root', root),
  imageincludesequencenumber: flag('imageincludesequencenumber'),
  imagesequencenumber: integer('image sequence number', 0),
  imageautoincrementsequencenumber: flag('imageautoincrementsequencenumber'),
  imageoverwrite: flag('imageoverwrite'),
  imagetest: flag('imagetest'),
  imageautoname: flag('imageautoname'),
  imagetype: text('image type', imageType),
  imagetitle: text('image title', title),
  autotitle: flag('autotitle'),
  flusharray: flag('flusharray'),
  savefile: flag('savefile'),
  displayimage: flag('displayimage'),
  sendimage: flag('sendimage'),
  logcommands: flag('logcommands'),
  tdimode: flag('tdimode'),
  tdidelay: integer('TDI delay', 0),
  pardelay: integer('parallel delay', 0),
  exposureguidemode: flag('exposureguidemode'),
  exposureguidestatus: flag('exposureguidestatus'),
  exposureupdatingheader: flag('exposureupdatingheader'),
  exposuretime: seconds('exposure time'),
  imageformat: choice('image format', IMAGE_FORMATS),
  biassubtraction: choice('bias subtraction', BIAS_SUBTRACTIONS),
  firstcol: integer('first column', 1),
  lastcol: integer('last column', 1),
  firstrow: integer('first row', 1),
  lastrow: integer('last row', 1),
  colbin: integer('column binning', 1),
  rowbin: integer('row binning', 1),
};

export function defaultParameters(detector: DetectorGeometry, imagefolder: string): ParameterValues {
  return {
    imagefolder,
    imageroot: 'itl.',
    imageincludesequencenumber: true,
    imagesequencenumber: 1,
    imageautoincrementsequencenumber: true,
    imageoverwrite: false,
    imagetest: false,
    imageautoname: false,
    imagetype: 'object',
    imagetitle: '',
    autotitle: false,
    // azcam's defaults (its exposure tool's attributes).
    flusharray: true,
    savefile: true,
    displayimage: true,
    sendimage: false,
    logcommands: false,
    tdimode: false,
    tdidelay: 5,
    pardelay: 5,
    exposureguidemode: false,
    exposureguidestatus: false,
    exposureupdatingheader: false,
    exposuretime: 1,
    imageformat: 'mef',
    biassubtraction: 'none',
    ...roiParameters(fullRoi(detector)),
  };
}

/**
 * Maps an image folder as a client gives it to the folder used, or throws if it is not allowed
 * (the error naming `subject`, what the folder holds: an image folder unless told otherwise).
 * Applied on every change, so it must map a folder it returned to itself.
 */
export type FolderResolver = (folder: string, subject?: string) => string;

/**
 * One camera's parameter values. Every change goes through `update`, which resolves the image
 * folder and checks the values that depend on each other (the ROI against the detector), so a
 * bad value is refused, never stored.
 */
export class Parameters {
  readonly #resolveFolder: FolderResolver;
  readonly #listeners: ((values: Readonly<ParameterValues>) => void)[] = [];
  #values: Readonly<ParameterValues>;

  constructor(
    readonly detector: DetectorGeometry,
    initial: ParameterValues,
    resolveFolder: FolderResolver = (folder) => folder,
  ) {
    this.#resolveFolder = resolveFolder;
    this.#values = this.#checked(initial);
  }

  /** A frozen snapshot: later changes do not reach it (each change makes a new one). */
  get values(): Readonly<ParameterValues> {
    return this.#values;
  }

  get<K extends ParameterName>(name: K): ParameterValues[K] {
    return this.#values[name];
  }

  /** A client's value for `name` (any case), converted and checked on its own. */
  parse(name: string, raw: string): Partial<ParameterValues> {
    const key = parameterName(name);
    return { [key]: KINDS[key].parse(raw) };
  }

  /** The value of `name` as `get_par` replies it. */
  reply(name: string): unknown {
    const key = parameterName(name);
    return (KINDS[key] as Kind<unknown>).reply(this.#values[key]);
  }

  /** parse, then update. */
  set(name: string, raw: string): void {
    this.update(this.parse(name, raw));
  }

  update(changes: Partial<ParameterValues>): void {
    this.#values = this.#checked({ ...this.#values, ...changes });
    for (const listener of this.#listeners) listener(this.values);
  }

  /** Calls `listener` after every change (to save the values that must survive a restart). */
  onChange(listener: (values: Readonly<ParameterValues>) => void): void {
    this.#listeners.push(listener);
  }

  /** A file a client names: relative to the image folder, in a folder clients may use (else throws). */
  resolveFile(path: string): string {
    return this.resolveServerFile(resolve(this.#values.imagefolder, path));
  }

  /**
   * A file on the server a client names (a header template): in a folder clients may use, a
   * relative path taken as the image folder resolver takes it (inside the data directory); else
   * throws, naming the file as `subject`.
   */
  resolveServerFile(path: string, subject?: string): string {
    return join(this.#resolveFolder(dirname(path), subject), basename(path));
  }

  roi(): Roi {
    return roiOf(this.#values);
  }

  setRoi(roi: Roi): void {
    this.update(roiParameters(roi));
  }

  /** A folder already resolved is not resolved again: a later change of another value cannot fail on it. */
  #checked(values: ParameterValues): Readonly<ParameterValues> {
    checkNaming(values);
    checkConsistent(this.detector, values);
    const resolved = values.imagefolder === this.#values?.imagefolder;
    return Object.freeze({ ...autoTitled(values), imagefolder: resolved ? values.imagefolder : this.#resolveFolder(values.imagefolder) });
  }
}

/**
 * azcam's `set_image_title` with `auto_title` on: the title is the image type lower-cased, but for
 * an object, whose title is left as it is. Applied whenever a value changes (azcam applies it when
 * the title, the flag or, by set_par, the type is set, and when an exposure begins).
 */
export function autoTitled<T extends Pick<ParameterValues, 'autotitle' | 'imagetype' | 'imagetitle'>>(values: T): T {
  const type = values.imagetype.toLowerCase();
  return values.autotitle && type !== 'object' ? { ...values, imagetitle: type } : values;
}

/** Whether `name` (any case) is one of the camera's settings. */
export function isParameterName(name: string): boolean {
  return Object.hasOwn(KINDS, name.toLowerCase());
}

function parameterName(name: string): ParameterName {
  const key = name.toLowerCase();
  if (!Object.hasOwn(KINDS, key)) throw new InvalidArgumentError(`unknown parameter: ${name}`);
  return key as ParameterName;
}

function roiParameters(roi: Roi): Pick<ParameterValues, 'firstcol' | 'lastcol' | 'firstrow' | 'lastrow' | 'colbin' | 'rowbin'> {
  return { firstcol: roi.firstCol, lastcol: roi.lastCol, firstrow: roi.firstRow, lastrow: roi.lastRow, colbin: roi.colBin, rowbin: roi.rowBin };
}

export function roiOf({ firstcol, lastcol, firstrow, lastrow, colbin, rowbin }: ParameterValues): Roi {
  return { firstCol: firstcol, lastCol: lastcol, firstRow: firstrow, lastRow: lastrow, colBin: colbin, rowBin: rowbin };
}

/**
 * The file-name parameters pass their own rules whichever way they were set (set_par, set_filename,
 * the parameter file), not only when a client's string is parsed.
 */
function checkNaming(values: ParameterValues): void {
  for (const name of ['imagefolder', 'imageroot', 'imagetype'] as const) KINDS[name].parse(values[name]);
}

function checkConsistent(detector: DetectorGeometry, values: ParameterValues): void {
  validateRoi(detector, roiOf(values));
  checkBiasSubtraction(detector, values.biassubtraction);
}
