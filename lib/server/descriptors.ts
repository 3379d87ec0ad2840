import { readFileSync } from 'node:fs';

/**
 * File descriptors kept free of clients: node's own (about 30), each readout thread's image files
 * and the parameter and log files. Connections are capped so that these always remain, and an
 * image is never lost to EMFILE however many clients connect.
 */
export const RESERVED_DESCRIPTORS = 128;

/** The process's soft limit on open files (`ulimit -n`), where the system tells it (Linux). */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** The connections that fit beside the reserve within `limit` open files (at least one). */
export function connectionsWithin(requested: number, limit: number | undefined): number {
  return limit === undefined ? requested : Math.max(1, Math.min(requested, limit - RESERVED_DESCRIPTORS));
}
