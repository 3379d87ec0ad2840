import { randomBytes } from 'node:crypto';
import { constants, realpathSync, writeSync, type Dirent } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ImageNotDurableError, PermissionError, ReadoutError } from '../errors.js';
import { flushed, flushFolder, flushFolders } from './flushed.js';

/** `.itl.0001.fits.<12 hex digits>.tmp`: hidden, and named for the file it becomes. */
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** The temporary name a file is written under, in its own folder. */
export function temporaryName(final: string): string {
  return join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Whether a file name is one of ours, left by a write that never finished. */
export function isTemporaryName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Where images live, and how they get there. Every image folder is confined to the data
 * directory (a remote client cannot write outside it, neither by `..` nor through a symbolic
 * link), and every file is written under a temporary name, flushed, and only then given its
 * final name: a reader never sees a partial file, and a failed write leaves nothing under the
 * final name. The final name is flushed too (its folder, and those above it up to the data
 * directory), so that an image once written survives a power failure.
 */
export class ImageStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  /**
   * An image folder as a client names it (relative to the data directory, or absolute inside it),
   * refused unless it lies inside the data directory both as written and once every symbolic link
   * in it is followed (as far as it exists). `subject` names what the folder is for, in the error.
   */
  resolveFolder(folder: string, subject = 'image folder'): string {
    const path = resolve(this.root, folder);
    if (!isInside(this.root, path) || !isInside(realPath(this.root), realPath(path))) {
      throw new PermissionError(`${subject} must be inside the data directory ${this.root}: ${folder}`);
    }
    return path;
  }

  /** Whether the data directory's file system can flush a folder, as each image's write does. */
  canFlushFolders(): Promise<boolean> {
    return flushFolder(this.root);
  }

  /**
   * Removes the temporary files that writes cut short (a `kill -9` during WRITING) left in the data
   * directory, following no symbolic link and leaving out any folder inside that holds a file
   * named `lockName` (a data directory of its own). Returns the paths removed.
   */
  async sweepTemporaryFiles(lockName: string): Promise<string[]> {
    const removed: string[] = [];
    const visit = async (folder: string): Promise<void> => {
      const entries: Dirent[] = await readdir(folder, { withFileTypes: true }).catch(() => []);
      // A folder inside holding a lock is another server's data directory: its own start sweeps it.
      if (folder !== this.root && entries.some((entry) => entry.name === lockName)) return;
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await visit(path);
        else if (entry.isFile() && isTemporaryName(entry.name) && (await unlink(path).then(() => true, () => false))) removed.push(path);
      }
    };
    await visit(this.root);
    return removed;
  }

  /** Writes the file atomically; refuses to replace an existing file unless `overwrite`. */
  async write(filename: string, bytes: Uint8Array, overwrite: boolean, { beforeCommit, written }: WriteHooks = {}): Promise<void> {
    const folder = this.resolveFolder(dirname(filename));
    const final = join(folder, basename(filename));
    const temp = temporaryName(final);
    try {
      await reportingFailure(final, async () => {
        await mkdir(folder, { recursive: true });
        // Checked again now that it exists: a link swapped in meanwhile must not lead outside.
        this.resolveFolder(folder);
        await writeFlushed(temp, bytes, written);
      });
      beforeCommit?.();
      await giveName(temp, final, overwrite, foldersToRoot(this.root, folder));
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith(`..${sep}`));
}

/** `path` with every symbolic link followed, as far as it exists; the rest appended as written. */
function realPath(path: string): string {
  for (let existing = path; ; existing = dirname(existing)) {
    try {
      return join(realpathSync(existing), relative(existing, path));
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || existing === dirname(existing)) throw error;
    }
  }
}

/**
 * Copies an image already written (the last one, for `exposure.image.write_file`) to `final`, a
 * path already confined to the data directory, as write() writes: under a temporary name,
 * flushed, then given its name, and its folder flushed.
 */
export async function copyImage(source: string, final: string, overwrite: boolean): Promise<void> {
  const temp = temporaryName(final);
  try {
    await reportingFailure(final, () => copyFlushed(source, temp));
    await giveName(temp, final, overwrite, [dirname(final)]);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The end of every write: the final name (replacing a file only with `overwrite`), then `folders` flushed. */
async function giveName(temp: string, final: string, overwrite: boolean, folders: readonly string[]): Promise<void> {
  await reportingFailure(final, () => (overwrite ? rename(temp, final) : link(temp, final)));
  await flushFolders(folders).catch((error: unknown) => {
    throw new ImageNotDurableError(`image ${final} written, but its folder could not be flushed: ${describe(error)}`);
  });
}

async function copyFlushed(source: string, temp: string): Promise<void> {
  await copyFile(source, temp, constants.COPYFILE_EXCL);
  await flushed(temp, 'r+');
}

/** What a writer may do at the steps of a write. */
export interface WriteHooks {
  /**
   * Called once the bytes are flushed under the temporary name, just before the final one is
   * given: it may throw (an abort) to leave no file at all, and its error is passed on as it is.
   */
  beforeCommit?: () => void;
  /** Called once the bytes are in the file, before they are flushed: from then on `bytes` may be reused. */
  written?: () => void;
}

/** Runs one step of a write, turning its failure into the message a client reads. */
async function reportingFailure(final: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw new ReadoutError(`cannot write image ${final}: ${describe(error)}`);
  }
}

/** The bytes in a new file, flushed; a file left by a failure is the caller's to remove (write() does). */
function writeFlushed(path: string, bytes: Uint8Array, written: (() => void) | undefined): Promise<void> {
  return flushed(path, 'wx', (file) => {
    copyWhole(file.fd, bytes);
    written?.();
  });
}

/**
 * The image folder and each folder above it up to the data directory: the ones whose entries may
 * not be on the disk yet. This write may have made some of them, or another write that failed or
 * has not flushed them yet; flushing a folder with nothing new costs no disk write.
 */
export function foldersToRoot(root: string, folder: string): string[] {
  const folders = [folder];
  for (let at = folder; at !== root && at !== dirname(at); at = dirname(at)) folders.push(dirname(at));
  return folders;
}

/**
 * Copies the bytes into the file on the calling thread, in one call unless the system takes less.
 * On a readout thread that is the point: the copy runs at the thread's low priority. Copied on
 * libuv's threads, at normal priority, 36 MB a frame delayed the main thread under load (light
 * commands' p99 with back-to-back readouts 7.4-8.6 ms, against 5.1-5.4 ms copied here).
 */
function copyWhole(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done, done);
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
