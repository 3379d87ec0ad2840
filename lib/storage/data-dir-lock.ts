import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirInUseError } from '../errors.js';
import { log } from '../log.js';
import { temporaryName } from './image-store.js';

/** The file a running server keeps in its data directory, holding its pid. */
export const LOCK_FILE = '.azcam-server.lock';

/**
 * The lock files this process holds. A lock naming this process's own pid that is not among them
 * was left by an app in this process that never released it (tests run servers in-process): stale.
 */
const held = new Set<string>();

/** The data directory, held by this server until release(). */
export interface DataDirLock {
  /** Removes the lock file; idempotent, and synchronous so that it can run as the process exits. */
  release(): void;
}

/**
 * Takes the data directory `root` for this server, before anything in it is touched: refused
 * with DataDirInUseError while another running server holds it; a lock whose server is no longer
 * running (killed, or a power failure) is taken over. The lock is released by release(), or when
 * the process exits (a forced stop) if that comes first.
 */
export async function lockDataDir(root: string): Promise<DataDirLock> {
  const path = join(root, LOCK_FILE);
  while (!(await createLock(path))) {
    const owner = await readOwner(path);
    if (owner === undefined) continue;
    if (isRunning(owner, path)) throw new DataDirInUseError(root, owner);
    log.warn('taking over the data directory from a server no longer running', { dataDir: root, pid: owner });
    await removeStale(path, owner);
  }
  held.add(path);
  const release = (): void => {
    process.off('exit', release);
    if (!held.delete(path)) return;
    if (readOwnerSync(path) === process.pid) unlinkSync(path);
  };
  process.on('exit', release);
  return { release };
}

/**
 * Creates the lock holding our pid, whole or not at all (written aside, then linked to its name):
 * false if there is one already, or if the data directory's sweep took the file aside meanwhile.
 */
async function createLock(path: string): Promise<boolean> {
  const aside = temporaryName(path);
  try {
    await writeFile(aside, `${process.pid}\n`, { flag: 'wx' });
    await link(aside, path);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    throw error;
  } finally {
    // Whatever happens here, the error to report is the one above (EROFS, ENOSPC).
    await unlink(aside).catch(() => undefined);
  }
}

/**
 * Removes the lock `owner` left, and only that one: another start may have taken it over since it
 * was read, and made its own. So it is moved aside (atomically) and looked at: a lock not
 * `owner`'s goes back where it was.
 */
export async function removeStale(path: string, owner: number): Promise<void> {
  const aside = temporaryName(path);
  try {
    await rename(path, aside);
  } catch (error) {
    return ignoring('ENOENT')(error as NodeJS.ErrnoException);
  }
  try {
    if ((await readOwner(aside)) !== owner) await link(aside, path).catch(ignoring('EEXIST'));
  } finally {
    await unlink(aside).catch(ignoring('ENOENT'));
  }
}

/** The pid in the lock file; undefined if it is gone, 0 if it holds no pid. */
async function readOwner(path: string): Promise<number | undefined> {
  return readFile(path, 'utf8').then(parsePid, (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

function readOwnerSync(path: string): number | undefined {
  try {
    return parsePid(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function parsePid(text: string): number {
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 0;
}

/** Whether the server with this pid still runs; for our own pid, whether this process holds the lock. */
function isRunning(pid: number, path: string): boolean {
  if (pid === 0) return false;
  if (pid === process.pid) return held.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A handler for a file system call's failure that lets only `code` pass (`ENOENT`: already gone). */
function ignoring(code: string): (error: NodeJS.ErrnoException) => void {
  return (error) => {
    if (error.code !== code) throw error;
  };
}
