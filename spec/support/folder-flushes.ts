import { constants, type PathLike } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';

type Open = (path: PathLike, flags?: string | number, mode?: number) => Promise<FileHandle>;

/** node:fs/promises as CommonJS sees it: the object whose properties its ES module bindings follow. */
const fsPromises = createRequire(import.meta.url)('node:fs/promises') as { open: Open };
const realOpen = fsPromises.open;

/**
 * The flushes of folders (fsync of a folder opened O_DIRECTORY, as lib/storage/flushed.ts makes
 * them), watched and, on request, failed. No seam in the server's code: node:fs/promises' `open`
 * is wrapped, and the builtin's ES module bindings synced to it, until `restore`.
 */
export class FolderFlushes {
  readonly #failures = new Map<string, string>();

  /** `watch` is called at each folder flush, before the flush itself. One at a time: a second refuses, until `restore`. */
  constructor(readonly watch: (folder: string) => void = () => undefined) {
    if (fsPromises.open !== realOpen) throw new Error('folder flushes are already watched: restore() them first');
    fsPromises.open = (path, flags, mode) => this.#opened(path, flags, mode);
    syncBuiltinESMExports();
  }

  /** Fails every later flush of `folder` as the system call fails with errno `code` (EIO, EINVAL, ...). */
  fail(folder: string, code: string): void {
    this.#failures.set(folder, code);
  }

  /** Lets flushes of `folder` succeed again. */
  succeed(folder: string): void {
    this.#failures.delete(folder);
  }

  restore(): void {
    fsPromises.open = realOpen;
    syncBuiltinESMExports();
  }

  async #opened(path: PathLike, flags?: string | number, mode?: number): Promise<FileHandle> {
    const handle = await realOpen(path, flags, mode);
    if (typeof flags !== 'number' || (flags & constants.O_DIRECTORY) === 0) return handle;
    const folder = String(path);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      this.watch(folder);
      const code = this.#failures.get(folder);
      if (code) throw Object.assign(new Error(`${code}: failed by the spec, fsync`), { code, syscall: 'fsync' });
      return sync();
    };
    return handle;
  }
}
