/**
 * End to end (issue 9, "Faults"): a full disk gives the exposure a clear ERROR, the camera
 * returns to NONE, no partial file is left, and once there is room the next exposure works.
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { mountTinyDisk, unmountTinyDisk } from '../support/tiny-disk.js';
import { E2E, filesIn, primaryHeader, status } from './support.js';
import { requireOrSkip } from '../support/requirements.js';

describe('e2e: full disk', function () {
  this.timeout(30000);
  const e2e = new E2E();
  let disk: string | undefined;

  before(function () {
    // A sta2k image is 8.5 MB: room for one, not two.
    disk = mountTinyDisk(12);
    requireOrSkip(this, disk, 'a tmpfs mount (root)');
  });
  afterEach(() => e2e.cleanup());
  after(() => disk && unmountTinyDisk(disk));

  it('answers ERROR disk full, leaves nothing behind, and exposes again once there is room', async () => {
    const { port } = await e2e.start({ dataDir: disk });
    const client = await e2e.connect(port);
    expect(await client.raw('exposure.expose 0 zero "fits"')).to.equal('OK');
    const second = join(disk!, 'itl.0002.fits');
    expect(await client.raw('exposure.expose 0 zero "does not fit"')).to.equal(`ERROR cannot write image ${second}: disk full`);
    expect(await status(client)).to.include({ exposurestate: 'NONE' });
    expect(filesIn(disk!)).to.deep.equal(['itl.0001.fits']);

    rmSync(join(disk!, 'itl.0001.fits'));
    expect(await client.raw('exposure.expose 0 zero "fits again"')).to.equal('OK');
    expect(primaryHeader(second).get('OBJECT')).to.equal('fits again');
  });
});
