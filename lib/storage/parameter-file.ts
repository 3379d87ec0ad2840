import { readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ParametersNotSavedError } from '../errors.js';
import { log } from '../log.js';
import { flushed, flushFolder } from './flushed.js';
import { temporaryName } from './image-store.js';

/** What `save_pars` keeps: the camera's settings by azcam name, and the clients' subdicts. */
export interface SavedParameters {
  parameters: Record<string, unknown>;
  subdicts: Record<string, Record<string, unknown>>;
}

/**
 * azcam's parameter file, as JSON in the data directory: the sequence number, folder and the rest
 * survive a restart. Each save replaces the file atomically (temporary name, flushed, then
 * renamed: without the flush, a power failure may leave the new name on an empty file on some
 * file systems), and its folder is flushed, so that the new name is on the disk too. Saves never
 * overlap, and a save asked for while one runs writes the latest values once it is done. The
 * values are built when a write starts, not when a save is asked for: a change costs nothing
 * however many parameters are kept, and many changes during one write cost one build.
 */
export class ParameterFile {
  #writing: Promise<void> = Promise.resolve();
  #pending: (() => SavedParameters) | undefined;

  constructor(readonly path: string) {}

  /** The saved values; undefined when there is no file yet (or it is unreadable: logged). */
  async load(): Promise<SavedParameters | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('parameter file unreadable', { path: this.path, reason: (error as Error).message });
      return undefined;
    }
    try {
      const saved = JSON.parse(text) as Partial<SavedParameters>;
      return { parameters: saved.parameters ?? {}, subdicts: saved.subdicts ?? {} };
    } catch (error) {
      log.warn('parameter file is not valid JSON; starting from defaults', { path: this.path, reason: (error as Error).message });
      return undefined;
    }
  }

  /**
   * Resolves once the values `build` returns (called when the write starts, so they hold every
   * change made before this call) are on disk; rejects if that write failed.
   */
  save(build: () => SavedParameters): Promise<void> {
    const idle = this.#pending === undefined;
    this.#pending = build;
    if (idle) this.#writing = this.#writing.catch(() => undefined).then(() => this.#writePending());
    return this.#writing;
  }

  async #writePending(): Promise<void> {
    const build = this.#pending!;
    this.#pending = undefined;
    const temp = temporaryName(this.path);
    try {
      const text = `${JSON.stringify(build(), null, 2)}\n`;
      await flushed(temp, 'w', (file) => file.writeFile(text));
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      log.warn('parameters not saved', { path: this.path, reason: (error as Error).message });
      throw new ParametersNotSavedError(`parameters not saved to ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    await flushFolder(dirname(this.path)).catch((error: unknown) => {
      log.warn('parameters saved, but their folder could not be flushed', { path: this.path, reason: (error as Error).message });
      throw new ParametersNotSavedError(`parameters written to ${this.path}, but its folder could not be flushed: ${(error as Error).message}`, { cause: error });
    });
  }
}
