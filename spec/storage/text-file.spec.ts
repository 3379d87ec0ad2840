import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSmallTextFile } from '../../lib/storage/text-file.js';

describe('readSmallTextFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'text-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rejection = (path: string, maxBytes = 100) => readSmallTextFile(path, maxBytes, 'header file').then(
    () => expect.fail('read'),
    (error: Error) => error.message,
  );

  it('reads a file of up to maxBytes', async () => {
    writeFileSync(join(dir, 'h.txt'), 'OBSERVER Ann\n');
    expect(await readSmallTextFile(join(dir, 'h.txt'), 13, 'header file')).to.equal('OBSERVER Ann\n');
  });

  it('refuses a larger file, a missing one, a folder, a link and a named pipe', async () => {
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(101));
    mkdirSync(join(dir, 'folder'));
    symlinkSync('/etc/hostname', join(dir, 'link.txt'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(await rejection(join(dir, 'big.txt'))).to.equal(`header file too large: ${join(dir, 'big.txt')} (at most 100 bytes)`);
    expect(await rejection(join(dir, 'none.txt'))).to.equal(`header file not found: ${join(dir, 'none.txt')}`);
    expect(await rejection(join(dir, 'folder'))).to.equal(`header file is not a regular file: ${join(dir, 'folder')}`);
    expect(await rejection(join(dir, 'link.txt'))).to.equal(`header file is a symbolic link, not read: ${join(dir, 'link.txt')}`);
    expect(await rejection(join(dir, 'pipe'))).to.equal(`header file is not a regular file: ${join(dir, 'pipe')}`);
  });
});
