import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { PermissionError, ReadoutError } from '../errors.js';

/**
 * Where images live, and how they get there. Every image folder is confined to the data
 * directory (a remote client cannot write outside it), and every file is written under a
 * temporary name, flushed, and only then given its final name: a reader never sees a partial
 * file, and a failed write leaves nothing under the final name.
 */
export class ImageStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  /** An image folder as a client names it (relative to the data directory, or absolute inside it). */
  resolveFolder(folder: string): string {
    const path = resolve(this.root, folder);
    const inside = relative(this.root, path);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new PermissionError(`image folder must be inside the data directory ${this.root}: ${folder}`);
    }
    return path;
  }

  /**
   * Writes the file atomically; refuses to replace an existing file unless `overwrite`.
   * `beforeCommit` is called once the bytes are flushed under the temporary name, just before the
   * final one is given: it may throw (an abort) to leave no file at all, and its error is passed on
   * as it is.
   */
  async write(filename: string, bytes: Uint8Array, overwrite: boolean, beforeCommit?: () => void): Promise<void> {
    const folder = this.resolveFolder(dirname(filename));
    const final = join(folder, basename(filename));
    const temp = join(folder, `.${basename(filename)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await reportingFailure(final, async () => {
        await mkdir(folder, { recursive: true });
        await writeFlushed(temp, bytes);
      });
      beforeCommit?.();
      await reportingFailure(final, () => (overwrite ? rename(temp, final) : link(temp, final)));
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
}

/** Runs one step of a write, turning its failure into the message a client reads. */
async function reportingFailure(final: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw new ReadoutError(`cannot write image ${final}: ${describe(error)}`);
  }
}

async function writeFlushed(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (error) {
    await file.close();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await file.close();
}

function describe(error: unknown): string {
  const { code, syscall } = error as NodeJS.ErrnoException;
  // mkdir fails with EEXIST (or ENOTDIR further down) where a file stands in for the folder.
  if (code === 'ENOTDIR' || (code === 'EEXIST' && syscall === 'mkdir')) return 'image folder is not a directory';
  if (code === 'EEXIST') return 'file exists (set imageoverwrite to replace it)';
  if (code === 'ENOSPC') return 'disk full';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
