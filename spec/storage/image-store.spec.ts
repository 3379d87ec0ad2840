import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AbortedError, PermissionError, ReadoutError } from '../../lib/errors.js';
import { foldersToRoot, ImageStore, isTemporaryName, temporaryName } from '../../lib/storage/image-store.js';

describe('ImageStore', () => {
  let root: string;
  let outside: string;
  let store: ImageStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'image-store-'));
    outside = await mkdtemp(join(tmpdir(), 'image-store-outside-'));
    store = new ImageStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  describe('resolveFolder', () => {
    it('resolves relative folders inside the data directory', () => {
      expect(store.resolveFolder('night1/flats')).to.equal(join(root, 'night1/flats'));
      expect(store.resolveFolder('.')).to.equal(root);
    });

    it('accepts an absolute folder inside the data directory', () => {
      expect(store.resolveFolder(join(root, 'a'))).to.equal(join(root, 'a'));
    });

    it('refuses escapes with .. and absolute paths outside', () => {
      for (const folder of ['..', '../x', 'a/../../x', '/etc', '/tmp']) {
        expect(() => store.resolveFolder(folder), folder).to.throw(PermissionError, /inside the data directory/);
      }
    });

    it('accepts a folder whose name merely starts with two dots', () => {
      expect(store.resolveFolder('..foo')).to.equal(join(root, '..foo'));
      expect(store.resolveFolder('a/..b/c')).to.equal(join(root, 'a/..b/c'));
    });

    it('refuses a folder that a symbolic link leads outside, and anything below it', async () => {
      await symlink(outside, join(root, 'evil'));
      for (const folder of ['evil', 'evil/new', 'evil/new/deeper', join(root, 'evil')]) {
        expect(() => store.resolveFolder(folder), folder).to.throw(PermissionError, /inside the data directory/);
      }
    });

    it('accepts a symbolic link that stays inside the data directory', async () => {
      await mkdir(join(root, 'nights'));
      await symlink(join(root, 'nights'), join(root, 'tonight'));
      expect(store.resolveFolder('tonight/flats')).to.equal(join(root, 'tonight/flats'));
    });
  });

  describe('write', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);

    it('creates the folder and writes the file under its final name only', async () => {
      await store.write('night1/img.0001.fits', bytes, false);
      expect(new Uint8Array(await readFile(join(root, 'night1/img.0001.fits')))).to.deep.equal(bytes);
      expect(await readdir(join(root, 'night1'))).to.deep.equal(['img.0001.fits']);
    });

    it('refuses to replace an existing file unless overwrite, leaving it intact', async () => {
      await writeFile(join(root, 'img.fits'), 'old');
      const failure = await store.write('img.fits', bytes, false).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(ReadoutError).with.property('message').match(/file exists/);
      expect(await readFile(join(root, 'img.fits'), 'utf8')).to.equal('old');
      expect(await readdir(root)).to.deep.equal(['img.fits']);
      await store.write('img.fits', bytes, true);
      expect(new Uint8Array(await readFile(join(root, 'img.fits')))).to.deep.equal(bytes);
      expect(await readdir(root)).to.deep.equal(['img.fits']);
    });

    it('reports an unwritable folder and leaves no file behind', async () => {
      await writeFile(join(root, 'blocker'), 'a file where a folder should be');
      const failure = await store.write('blocker/img.fits', bytes, false).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(ReadoutError).with.property('message').match(/cannot write image/);
      expect(await readdir(root)).to.deep.equal(['blocker']);
    });

    it('calls written once the bytes are in the file, then beforeCommit', async () => {
      const calls: string[] = [];
      const hook = (name: string) => () => {
        const [file] = readdirSync(join(root, 'night1'));
        calls.push(`${name}: ${statSync(join(root, 'night1', file!)).size} bytes`);
      };
      await store.write('night1/img.fits', bytes, false, { written: hook('written'), beforeCommit: hook('beforeCommit') });
      expect(calls).to.deep.equal([`written: ${bytes.length} bytes`, `beforeCommit: ${bytes.length} bytes`]);
    });

    it('asks beforeCommit once the bytes are flushed; what it throws cancels the write, unchanged, leaving nothing', async () => {
      const cancel = new AbortedError('readout');
      let flushed: number[] = [];
      const failure = await store
        .write('night1/img.fits', bytes, true, {
          beforeCommit: () => {
            flushed = readdirSync(join(root, 'night1')).map((name) => statSync(join(root, 'night1', name)).size);
            throw cancel;
          },
        })
        .catch((error: unknown) => error);
      expect(failure).to.equal(cancel);
      expect(flushed).to.deep.equal([bytes.length]);
      expect(await readdir(join(root, 'night1'))).to.deep.equal([]);
      await store.write('night1/img.fits', bytes, false, { beforeCommit: () => undefined });
      expect(await readdir(join(root, 'night1'))).to.deep.equal(['img.fits']);
    });

    it('refuses a folder turned into a link outside after it was chosen, creating nothing there', async () => {
      const folder = store.resolveFolder('night1');
      await symlink(outside, folder);
      for (const name of ['night1/img.fits', 'night1/new/img.fits']) {
        const failure = await store.write(name, bytes, false).catch((error: unknown) => error);
        expect(failure, name).to.be.instanceOf(PermissionError).with.property('message').match(/inside the data directory/);
      }
      expect(await readdir(outside)).to.deep.equal([]);
    });

    it('never follows a symbolic link in the image file\'s own place: refused, or replaced with overwrite', async () => {
      await writeFile(join(outside, 'target'), 'precious');
      await symlink(join(outside, 'target'), join(root, 'img.fits'));
      const failure = await store.write('img.fits', bytes, false).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(ReadoutError).with.property('message').match(/file exists/);
      await store.write('img.fits', bytes, true);
      expect((await lstat(join(root, 'img.fits'))).isFile()).to.equal(true);
      expect(await readFile(join(outside, 'target'), 'utf8')).to.equal('precious');
    });

    it('refuses a file name outside the data directory', async () => {
      const failure = await store.write('../escape.fits', bytes, false).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(PermissionError);
    });
  });

  describe('foldersToRoot', () => {
    it('is the image folder and each folder above it up to the data directory', () => {
      expect(foldersToRoot('/data', '/data/2026/night1')).to.deep.equal(['/data/2026/night1', '/data/2026', '/data']);
      expect(foldersToRoot('/data', '/data')).to.deep.equal(['/data']);
    });

    it('stops at the file system root', () => {
      expect(foldersToRoot('/data', '/b/c')).to.deep.equal(['/b/c', '/b', '/']);
    });

    it('can be flushed where the data directory is', async () => {
      expect(await store.canFlushFolders()).to.equal(true);
    });
  });

  describe('sweepTemporaryFiles', () => {
    it('names temporary files so that the sweep knows them, and only them', () => {
      expect(isTemporaryName(basename(temporaryName(join(root, 'itl.0002.fits'))))).to.equal(true);
      for (const name of ['itl.0002.fits', '.itl.0002.fits.tmp', '.notes.tmp', 'itl.0002.fits.0123456789ab.tmp', '.x.0123456789AB.tmp']) {
        expect(isTemporaryName(name), name).to.equal(false);
      }
    });

    it('removes the temporary files an interrupted write left, in every folder, following no link, and none in a folder holding a lock', async () => {
      await mkdir(join(root, 'night1'));
      await mkdir(join(root, 'nested'));
      const left = [join(root, '.itl.0002.fits.0123456789ab.tmp'), join(root, 'night1', '.m.0001.fits.a1b2c3d4e5f6.tmp')];
      const kept = [join(root, 'itl.0001.fits'), join(root, '.notes.tmp'), join(outside, '.itl.0009.fits.0123456789ab.tmp')];
      // Another server's data directory inside this one: its writes in progress are its own.
      const nested = [join(root, 'nested', '.lock'), join(root, 'nested', '.itl.0001.fits.0123456789ab.tmp')];
      for (const file of [...left, ...kept, ...nested]) await writeFile(file, 'x');
      await symlink(outside, join(root, 'linked'));
      await writeFile(join(root, '.lock'), 'x'); // this server's own lock: its folder is swept
      expect((await store.sweepTemporaryFiles('.lock')).sort()).to.deep.equal(left.sort());
      expect(await readdir(join(root, 'nested'))).to.have.members(['.lock', '.itl.0001.fits.0123456789ab.tmp']);
      await unlink(join(root, '.lock'));
      await rm(join(root, 'nested'), { recursive: true });
      expect(await readdir(root)).to.deep.equal(['.notes.tmp', 'itl.0001.fits', 'linked', 'night1']);
      expect(await readdir(join(root, 'night1'))).to.deep.equal([]);
      expect(await readdir(outside)).to.deep.equal(['.itl.0009.fits.0123456789ab.tmp']);
    });
  });
});
