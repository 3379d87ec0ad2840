import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, PermissionError, ReadoutError } from '../../lib/errors.js';
import { ImageStore } from '../../lib/storage/image-store.js';

describe('ImageStore', () => {
  let root: string;
  let store: ImageStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'image-store-'));
    store = new ImageStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

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

    it('asks beforeCommit once the bytes are flushed; what it throws cancels the write, unchanged, leaving nothing', async () => {
      const cancel = new AbortedError('readout');
      let flushed: number[] = [];
      const failure = await store
        .write('night1/img.fits', bytes, true, () => {
          flushed = readdirSync(join(root, 'night1')).map((name) => statSync(join(root, 'night1', name)).size);
          throw cancel;
        })
        .catch((error: unknown) => error);
      expect(failure).to.equal(cancel);
      expect(flushed).to.deep.equal([bytes.length]);
      expect(await readdir(join(root, 'night1'))).to.deep.equal([]);
      await store.write('night1/img.fits', bytes, false, () => undefined);
      expect(await readdir(join(root, 'night1'))).to.deep.equal(['img.fits']);
    });

    it('refuses a file name outside the data directory', async () => {
      const failure = await store.write('../escape.fits', bytes, false).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(PermissionError);
    });
  });
});
