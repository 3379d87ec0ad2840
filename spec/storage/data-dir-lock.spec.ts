import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError } from '../../lib/errors.js';
import { LOCK_FILE, lockDataDir, removeStale } from '../../lib/storage/data-dir-lock.js';
import { LogCapture } from '../support/log-capture.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('lockDataDir', () => {
  let root: string;
  let lockPath: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'data-dir-lock-'));
    lockPath = join(root, LOCK_FILE);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('holds the data directory in a lock file naming this process, and release() removes it (once)', async () => {
    const lock = await lockDataDir(root);
    expect(await readdir(root)).to.deep.equal([LOCK_FILE]);
    expect(readFileSync(lockPath, 'utf8')).to.equal(`${process.pid}\n`);
    lock.release();
    lock.release();
    expect(await readdir(root)).to.deep.equal([]);
  });

  it('refuses a second lock while this process holds the first, leaving the first in place', async () => {
    const lock = await lockDataDir(root);
    try {
      const error = await lockDataDir(root).then(() => undefined, (failure: unknown) => failure);
      expect(error).to.be.instanceOf(DataDirInUseError);
      expect((error as Error).message).to.equal(`data directory ${root} is in use by another server (pid ${process.pid})`);
      expect(readFileSync(lockPath, 'utf8')).to.equal(`${process.pid}\n`);
    } finally {
      lock.release();
    }
    (await lockDataDir(root)).release();
  });

  it('refuses a lock held by another running process, naming its pid', async () => {
    writeFileSync(lockPath, `${process.ppid}\n`);
    const error = await lockDataDir(root).then(() => undefined, (failure: unknown) => failure);
    expect((error as Error).message).to.equal(`data directory ${root} is in use by another server (pid ${process.ppid})`);
    expect(readFileSync(lockPath, 'utf8')).to.equal(`${process.ppid}\n`);
  });

  const stale: [string, () => string][] = [
    ['a process that has exited', () => `${deadPid()}\n`],
    ['this process, which does not hold it (an in-process server never released it)', () => `${process.pid}\n`],
    ['no pid', () => 'garbage'],
  ];
  for (const [owner, content] of stale) {
    it(`takes over a lock naming ${owner}, and logs it`, async () => {
      writeFileSync(lockPath, content());
      const logs = new LogCapture();
      try {
        const lock = await lockDataDir(root);
        expect(readFileSync(lockPath, 'utf8')).to.equal(`${process.pid}\n`);
        expect(await logs.waitFor('taking over the data directory from a server no longer running')).to.include({ level: 'warn', dataDir: root });
        lock.release();
      } finally {
        logs.stop();
      }
    });
  }

  it("removes a stale lock only while it is still that owner's: one another start made meanwhile stays", async () => {
    const [dead, other] = [deadPid(), process.ppid];
    writeFileSync(lockPath, `${other}\n`); // the start that read `dead` was overtaken: another took over and locked
    await removeStale(lockPath, dead);
    expect(readFileSync(lockPath, 'utf8')).to.equal(`${other}\n`);
    writeFileSync(lockPath, `${dead}\n`);
    await removeStale(lockPath, dead);
    expect(existsSync(lockPath)).to.equal(false);
    await removeStale(lockPath, dead); // gone already: nothing to do
    expect(await readdir(root)).to.deep.equal([]);
  });

  it('on release, leaves a lock file that is not its own', async () => {
    const lock = await lockDataDir(root);
    writeFileSync(lockPath, `${process.ppid}\n`);
    lock.release();
    expect(existsSync(lockPath)).to.equal(true);
  });
});
