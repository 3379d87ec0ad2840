import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGeometry } from '../../lib/readout/geometry.js';
import { ImageStore } from '../../lib/storage/image-store.js';
import { CameraHarness } from './harness.js';

describe('parameters tool: get_par / set_par', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(() => h.cleanup());

  it('answers every parameter with its default, in the shape azcam scripts expect', async () => {
    const expected: Record<string, string> = {
      imagefolder: `OK ${h.folder}`,
      imageroot: 'OK itl.',
      imageincludesequencenumber: 'OK 1',
      imagesequencenumber: 'OK 1',
      imageautoincrementsequencenumber: 'OK 1',
      imageoverwrite: 'OK 0',
      imagetype: 'OK object',
      imagetitle: 'OK',
      exposuretime: 'OK 1.0',
      imageformat: 'OK mef',
      biassubtraction: 'OK none',
      firstcol: 'OK 1',
      lastcol: 'OK 64',
      firstrow: 'OK 1',
      lastrow: 'OK 32',
      colbin: 'OK 1',
      rowbin: 'OK 1',
    };
    for (const [name, reply] of Object.entries(expected)) {
      expect(await h.send(`parameters.get_par ${name}`), name).to.equal(reply);
    }
  });

  it('stores a valid value and answers it back', async () => {
    const values: [string, string, string][] = [
      ['imagefolder', '/data', 'OK /data'],
      ['imageroot', 'sci.', 'OK sci.'],
      ['imageincludesequencenumber', 'false', 'OK 0'],
      ['imagesequencenumber', '17', 'OK 17'],
      ['imageautoincrementsequencenumber', 'no', 'OK 0'],
      ['imageoverwrite', '1', 'OK 1'],
      ['imagetype', 'Dark', 'OK Dark'],
      ['imagetype', 'fe55', 'OK fe55'],
      ['imageautoname', '1', 'OK 1'],
      ['autotitle', '0', 'OK 0'],
      ['imagetitle', '"NGC 1234"', 'OK NGC 1234'],
      ['exposuretime', '0.25', 'OK 0.25'],
      ['imageformat', 'assembled', 'OK assembled'],
      ['biassubtraction', 'amp', 'OK amp'],
      ['lastcol', '60', 'OK 60'],
      ['rowbin', '4', 'OK 4'],
    ];
    for (const [name, value, reply] of values) {
      expect(await h.send(`parameters.set_par ${name} ${value}`), name).to.equal('OK');
      expect(await h.send(`parameters.get_par ${name}`), name).to.equal(reply);
    }
  });

  it("answers azcam's exposure and database parameters with azcam's defaults; set_par checks and keeps the exposure ones", async () => {
    const defaults: [string, string][] = [
      ['savefile', 'OK 1'], ['displayimage', 'OK 1'], ['flusharray', 'OK 1'], ['autotitle', 'OK 0'], ['sendimage', 'OK 0'],
      ['logcommands', 'OK 0'], ['version', 'OK 26.0.5'], ['abortflag', 'OK 0'], ['verbosity', 'OK 1'], ['tdimode', 'OK 0'],
      ['tdidelay', 'OK 5'], ['pardelay', 'OK 5'], ['exposureguidemode', 'OK 0'], ['exposureguidestatus', 'OK 0'],
      ['exposureupdatingheader', 'OK 0'], ['imageautoname', 'OK 0'],
    ];
    for (const [name, reply] of defaults) expect(await h.send(`get_par ${name}`), name).to.equal(reply);
    for (const [name, value, reply] of [['tdidelay', '7', 'OK 7'], ['displayimage', '0', 'OK 0'], ['savefile', '0', 'OK 0'], ['version', '99', 'OK 26.0.5'], ['abortflag', '1', 'OK 0']]) {
      expect(await h.send(`set_par ${name} ${value}`), name).to.equal('OK');
      expect(await h.send(`get_par ${name}`), name).to.equal(reply);
    }
    expect(await h.send('set_par savefile abc')).to.match(/^ERROR invalid savefile: abc/);
    expect(await h.send('get_par savefile')).to.equal('OK 0');
  });

  it('takes parameter names in any case', async () => {
    expect(await h.send('parameters.set_par ExposureTime 3')).to.equal('OK');
    expect(await h.send('parameters.get_par EXPOSURETIME')).to.equal('OK 3.0');
  });

  it('refuses a bad value and keeps the old one', async () => {
    const refused: [string, string][] = [
      ['exposuretime abc', 'ERROR invalid exposure time: abc'],
      ['exposuretime 1e9', 'ERROR invalid exposure time: 1000000000 (must be 0 to 86400)'],
      ['imagesequencenumber 1.5', 'ERROR invalid image sequence number: 1.5'],
      ['imagesequencenumber -1', 'ERROR invalid image sequence number: -1 (must be 0 to 9007199254740991)'],
      ['imageoverwrite maybe', 'ERROR invalid imageoverwrite: maybe'],
      ['imagetype ""', 'ERROR invalid image type:  (empty)'],
      ['imagetype a/b', 'ERROR invalid image type: a/b (no path separators allowed)'],
      ['imageformat fits', 'ERROR invalid image format: fits (use mef, assembled)'],
      ['biassubtraction col', 'ERROR invalid bias subtraction: col (use none, row, amp)'],
      ['imageroot a/b', 'ERROR invalid image root: a/b (no path separators allowed)'],
      ['imagefolder ""', 'ERROR invalid image folder:  (empty)'],
      ['imagetitle "caf\u00e9"', 'ERROR invalid image title: caf\u00e9 (not printable ASCII)'],
      ['firstcol 0', 'ERROR invalid first column: 0 (must be 1 to 9007199254740991)'],
      ['lastcol 65', 'ERROR ROI out of range: 1 65 1 32 (detector is 1 64 1 32)'],
      ['colbin 128', 'ERROR binning 128x1 is larger than the ROI: 1 64 1 32 (detector is 1 64 1 32)'],
    ];
    for (const [command, reply] of refused) {
      expect(await h.send(`parameters.set_par ${command}`), command).to.equal(reply);
    }
    expect(h.camera.parameters.values).to.deep.equal(new CameraHarness({ imageFolder: h.folder }).camera.parameters.values);
  });

  it('hands out its values as a frozen snapshot that a later change does not reach', async () => {
    const before = h.camera.parameters.values;
    expect(Object.isFrozen(before)).to.equal(true);
    expect(await h.send('parameters.set_par imagetitle flat')).to.equal('OK');
    expect(before.imagetitle).to.equal('');
    expect(h.camera.parameters.values.imagetitle).to.equal('flat');
  });

  it('refuses bias subtraction on a detector without overscan', async () => {
    const bare = new CameraHarness({
      detector: makeGeometry({ name: 'bare', width: 16, height: 16, amps: 1, prescan: 0, overscanCols: 0, overscanRows: 0 }),
    });
    expect(await bare.send('set_par biassubtraction row')).to.equal('ERROR bias subtraction needs overscan columns; detector bare has none');
    bare.cleanup();
  });

  it('passes every image folder through the camera\'s folder policy', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-dir-'));
    const store = new ImageStore(dataDir);
    const confined = new CameraHarness({ imageFolder: '.', resolveImageFolder: (folder) => store.resolveFolder(folder) });
    expect(await confined.send('get_par imagefolder')).to.equal(`OK ${dataDir}`);
    expect(await confined.send('set_par imagefolder night1')).to.equal('OK');
    expect(await confined.send('get_par imagefolder')).to.equal(`OK ${join(dataDir, 'night1')}`);
    expect(await confined.send('set_par imagefolder /etc')).to.equal(`ERROR image folder must be inside the data directory ${dataDir}: /etc`);
    expect(await confined.send('exposure.set_filename /etc/passwd')).to.equal(`ERROR image folder must be inside the data directory ${dataDir}: /etc`);
    expect(await confined.send('exposure.get_filename')).to.equal(`OK ${join(dataDir, 'night1', 'itl.0001.fits')}`);
    confined.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a wrong argument count with ERROR', async () => {
    expect(await h.send('parameters.get_par')).to.equal('ERROR missing parameter');
    expect(await h.send('parameters.set_par exposuretime')).to.equal('ERROR invalid exposure time: None');
    expect(await h.send('parameters.set_par imagetitle two words more')).to.equal('ERROR too many arguments: expected at most 3, got 4');
  });

  it('is also reached through the api short forms', async () => {
    expect(await h.send('set_par exposuretime 4')).to.equal('OK');
    expect(await h.send('get_par exposuretime')).to.equal('OK 4.0');
    expect(await h.send('api.get_par exposuretime')).to.equal('OK 4.0');
  });
});
