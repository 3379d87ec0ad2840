import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CommandError, InvalidArgumentError, PermissionError } from '../errors.js';

/**
 * A small text file read whole, for a client who names it (`what` says which file it is in an
 * error). Refused unless it is a regular file of at most `maxBytes`; a symbolic link is refused
 * too, since its target may lie outside the folders clients may read. Opened without blocking, so
 * that a named pipe cannot hold the read.
 */
export async function readSmallTextFile(path: string, maxBytes: number, what: string): Promise<string> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw openFailure(error, path, what);
  });
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new InvalidArgumentError(`${what} is not a regular file: ${path}`);
    // Sized by the limit, not by stat: a file that grows meanwhile is refused, not cut short.
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) throw new InvalidArgumentError(`${what} too large: ${path} (at most ${maxBytes} bytes)`);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await file.close();
  }
}

function openFailure(error: NodeJS.ErrnoException, path: string, what: string): Error {
  if (error.code === 'ENOENT') return new InvalidArgumentError(`${what} not found: ${path}`);
  if (error.code === 'ELOOP') return new PermissionError(`${what} is a symbolic link, not read: ${path}`);
  if (error.code === 'EACCES' || error.code === 'EPERM') return new PermissionError(`${what} not readable: ${path}`);
  return new CommandError(`cannot read ${what} ${path}: ${error.message}`);
}
