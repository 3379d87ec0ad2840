import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs to fill up: needs root (as CI has); undefined where mounting is not allowed. */
export function mountTinyDisk(megabytes: number): string | undefined {
  const folder = mkdtempSync(join(tmpdir(), 'tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', folder], { stdio: 'ignore' });
    return folder;
  } catch {
    rmSync(folder, { recursive: true, force: true });
    return undefined;
  }
}

export function unmountTinyDisk(folder: string): void {
  execFileSync('umount', [folder]);
  rmSync(folder, { recursive: true, force: true });
}
