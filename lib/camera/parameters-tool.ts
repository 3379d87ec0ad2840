/**
 * azcam's parameters as a server keeps them. A name the server knows (the camera's settings,
 * `imagefolder` ..., and the live values azcam's parameter table reaches: `camtemp`,
 * `lastfilename`, `controltemperature` ...) reads and sets the camera whatever subdict the client
 * names. Any other name is kept in the subdict the client names (default `azcamserver`), with
 * azcam's typing of the value ("1" → 1, "2.5" → 2.5, "2.0" → 2.0, replied as Python writes it), within the limits of
 * subdicts.ts. `save_pars` writes both to the parameter file; they are also saved whenever one
 * changes, and loaded at start, where azcam types the default subdict's values again and keeps the
 * others' text.
 */
import { arg, command, query, type CommandSpec, type ToolSpec } from '../dispatch/command.js';
import { InvalidArgumentError } from '../errors.js';
import type { ParameterFile, SavedParameters } from '../storage/parameter-file.js';
import { log } from '../log.js';
import { azcamDatatype, savedText, savedTyped, typedText, type Typed } from './datatype.js';
import { isParameterName, type Parameters, type ParameterValues } from './parameters.js';
import { Subdicts } from './subdicts.js';

/** The subdict a server uses when the client names none. */
export const DEFAULT_SUBDICT = 'azcamserver';

/** A value the server computes when asked, and may accept from a client. */
export interface LiveParameter {
  get(): unknown;
  set?(raw: string): void;
}

export class ParameterStore {
  readonly #subdicts = new Subdicts();
  #saving: Promise<void> = Promise.resolve();

  constructor(
    readonly camera: Parameters,
    readonly live: Readonly<Record<string, LiveParameter>>,
    readonly file?: ParameterFile,
  ) {
    camera.onChange(() => this.#saveInBackground());
  }

  get(name: string, subdict: string | null): unknown {
    const key = name.toLowerCase();
    if (isParameterName(key)) return this.camera.reply(key);
    const live = this.#live(key);
    if (live) return live.get();
    const typed = this.#subdicts.get(subdict ?? DEFAULT_SUBDICT, key);
    if (typed === undefined) return undefined;
    return typed.type === 'str' ? typed.value : typedText(typed);
  }

  set(name: string, raw: string, subdict: string | null): void {
    const key = name.toLowerCase();
    if (key === 'imagetitle' && raw === 'None') return this.camera.set(key, '');
    if (isParameterName(key)) return this.camera.set(key, raw);
    const live = this.#live(key);
    if (live) {
      if (!live.set) throw new InvalidArgumentError(`parameter ${key} is read-only`);
      return live.set(raw);
    }
    this.#subdicts.set(subdict ?? DEFAULT_SUBDICT, key, azcamDatatype(raw));
    this.#saveInBackground();
  }

  /** Writes the settings and subdicts to the parameter file (none configured: nothing to do). */
  save(): Promise<void> {
    return this.file?.save(() => this.snapshot()) ?? Promise.resolve();
  }

  /** Resolves once every change so far is in the parameter file; rejects if that save failed (the file logs it). */
  saved(): Promise<void> {
    return this.#saving;
  }

  /** Sets the camera and the subdicts from the parameter file, at start; a saved value now refused is skipped. */
  async load(): Promise<void> {
    const saved = await this.file?.load();
    if (!saved) return;
    for (const [name, value] of Object.entries(saved.parameters)) this.#restore(name, value);
    this.#subdicts.restore(new Map(Object.entries(saved.subdicts).map(([dict, values]) => [dict, restoredSubdict(dict, values)])));
  }

  /** What the parameter file holds; built for each write, never for a change. */
  snapshot(): SavedParameters {
    return { parameters: { ...this.camera.values }, subdicts: this.#subdicts.saved() };
  }

  #saveInBackground(): void {
    this.#saving = this.save();
    this.#saving.catch(() => undefined); // a failure is logged; whoever asks saved() learns of it
  }

  #live(key: string): LiveParameter | undefined {
    return Object.hasOwn(this.live, key) ? this.live[key] : undefined;
  }

  #restore(name: string, value: unknown): void {
    if (isParameterName(name)) skippingRefused(name, value, () => this.camera.update({ [name]: value } as Partial<ParameterValues>));
  }
}

/**
 * A subdict as azcam has it once started: `read_parfile` keeps the file's text under the name in
 * lower case (as get_par looks it up), then `update_pars` sets the default subdict's values again,
 * which types them ("007" is 7 there, "007" elsewhere).
 */
function restoredSubdict(dict: string, values: Record<string, unknown>): Map<string, Typed> {
  const restore = dict === DEFAULT_SUBDICT ? savedTyped : savedText;
  const restored = new Map<string, Typed>();
  for (const [key, value] of Object.entries(values)) skippingRefused(key, value, () => restored.set(key.toLowerCase(), restore(value)));
  return restored;
}

/** Runs `restore`; a saved value now refused is logged and skipped. */
function skippingRefused(name: string, value: unknown, restore: () => void): void {
  try {
    restore();
  } catch (error) {
    log.warn('saved parameter not restored', { name, value, reason: (error as Error).message });
  }
}

export function parameterCommands(store: ParameterStore): CommandSpec[] {
  return [
    query('get_par', 'Return a parameter value (from the subdict for names the server does not know)', [arg.str('parameter'), arg.str('subdict', null)], ({ parameter, subdict }) =>
      store.get(parameter, subdict),
    ),
    command(
      'set_par',
      'Set a parameter (a name the server does not know is kept in the subdict)',
      [arg.str('parameter'), arg.str('value', 'None'), arg.str('subdict', null)],
      ({ parameter, value, subdict }) => store.set(parameter, value, subdict),
    ),
    command('save_pars', 'Write the parameters to the parameter file', [], () => store.save()),
    // azcam's update_pars sets its tools from the values its par_dict holds, never from the file
    // (read once, at start). Here every value is applied when it is set and saved at once, so the
    // values held are the tools' own: nothing is left to apply.
    command('update_pars', 'Set the parameters from the values held (here always current: nothing to do)', [], () => undefined),
  ];
}

export function parametersTool(store: ParameterStore): ToolSpec {
  return { description: 'Parameters: get_par / set_par by azcam name, subdicts, save_pars', commands: parameterCommands(store) };
}
