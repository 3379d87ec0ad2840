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
