import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Opens `path` with `flags`, lets `fill` write through the handle, then flushes the file to the
 * disk (fsync(2)) and closes it, whatever failed. Every durable write here ends this way: an
 * image, a copy of one, the parameter file, and a folder's entries (with nothing to fill).
 */
export async function flushed(path: string, flags: string | number, fill?: (file: FileHandle) => Promise<void> | void): Promise<void> {
  const file = await open(path, flags);
  try {
    await fill?.(file);
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Flushes each folder's entries: a new name is on the disk only once its folder is (fsync(2)).
 * A file system that cannot flush a folder (EINVAL, ENOTSUP; the server says so at start, see
 * ImageStore.canFlushFolders) keeps names as well as it can.
 */
export async function flushFolders(folders: readonly string[]): Promise<void> {
  for (const folder of folders) await flushFolder(folder);
}

/** Whether the folder was flushed (false: its file system cannot flush a folder, nor can Windows). */
export async function flushFolder(folder: string): Promise<boolean> {
  if (process.platform === 'win32') return false; // no folder can be opened to be flushed there
  try {
    await flushed(folder, constants.O_RDONLY | constants.O_DIRECTORY);
    return true;
  } catch (error) {
    if (FOLDER_NOT_FLUSHABLE.has((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}

const FOLDER_NOT_FLUSHABLE = new Set(['EINVAL', 'ENOTSUP']);
