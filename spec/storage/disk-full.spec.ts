import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { ReadoutError } from '../../lib/errors.js';
import { ImageStore } from '../../lib/storage/image-store.js';
import { mountTinyDisk, unmountTinyDisk } from '../support/tiny-disk.js';
import { requireOrSkip } from '../support/requirements.js';

describe('ImageStore on a full disk', () => {
  let disk: string | undefined;

  before(function () {
    disk = mountTinyDisk(1);
    requireOrSkip(this, disk, 'a tmpfs mount (root)');
  });

  after(() => {
    if (disk) unmountTinyDisk(disk);
  });

  it('reports a full disk and leaves neither the image nor a temporary file', async () => {
    const store = new ImageStore(disk!);
    const failure = await store.write('itl.0001.fits', new Uint8Array(2 * 1024 * 1024), false).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(ReadoutError).with.property('message').match(/cannot write image .*itl\.0001\.fits: disk full/);
    expect(readdirSync(disk!)).to.deep.equal([]);
  });

  it('writes again once there is room', async () => {
    await new ImageStore(disk!).write('itl.0002.fits', new Uint8Array(1024), false);
    expect(readdirSync(disk!)).to.deep.equal(['itl.0002.fits']);
  });
});
