import { expect } from 'chai';
import { join } from 'node:path';
import { presetGeometry } from '../../lib/readout/geometry.js';
import { CameraHarness } from './harness.js';

describe('exposure tool: settings', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(() => h.cleanup());

  it('gets and sets the exposure time (Python float spelling)', async () => {
    expect(await h.send('exposure.get_exposuretime')).to.equal('OK 1.0');
    expect(await h.send('exposure.set_exposuretime 2.5')).to.equal('OK');
    expect(await h.send('exposure.get_exposuretime')).to.equal('OK 2.5');
    expect(await h.send('exposure.set_exposuretime abc')).to.equal('ERROR invalid exposure time: abc');
    expect(await h.send('exposure.set_exposuretime -1')).to.equal('ERROR invalid exposure time: -1 (must be 0 to 86400)');
    expect(await h.send('exposure.set_exposuretime')).to.equal('ERROR missing exposure time');
    expect(await h.send('exposure.get_exposuretime 1')).to.equal('ERROR too many arguments: expected at most 0, got 1');
  });

  describe('file names', () => {
    it('names the next image from folder, root and a 4-digit sequence number', async () => {
      expect(await h.send('exposure.get_filename')).to.equal(`OK ${join(h.folder, 'itl.0001.fits')}`);
      await h.send('set_par imagefolder /data');
      await h.send('set_par imagesequencenumber 42');
      expect(await h.send('exposure.get_filename')).to.equal('OK /data/itl.0042.fits');
      await h.send('set_par imageincludesequencenumber 0');
      expect(await h.send('exposure.get_filename')).to.equal('OK /data/itl.fits');
    });

    it("set_filename sets the folder and, as root, the name up to its first dot, leaving the flags (azcam's set_filename)", async () => {
      expect(await h.send('exposure.set_filename /data/sub/flat.0005.fits')).to.equal('OK');
      expect(await h.send('exposure.get_filename')).to.equal('OK /data/sub/flat0001.fits');
      expect(await h.send('get_par imagefolder')).to.equal('OK /data/sub');
      expect(await h.send('get_par imageroot')).to.equal('OK flat');
      expect(await h.send('get_par imageincludesequencenumber')).to.equal('OK 1');
      expect(await h.send('exposure.filename.set_filename /data/flats/bias')).to.equal('OK');
      expect(await h.send('exposure.get_filename')).to.equal('OK /data/flats/bias0001.fits');
    });

    it('sends a name with spaces as it is, as azcam does', async () => {
      await h.send('exposure.set_filename "/data/my run/a.fits"');
      expect(await h.send('exposure.get_filename')).to.equal('OK /data/my run/a0001.fits');
    });

    it('refuses what set_par imageroot and imagefolder refuse: one validation for every way a name is set', async () => {
      const before = await h.send('exposure.get_filename');
      for (const bad of ['itl\u0000.fits', 'itl\u001b[2J.fits', 'a\tb.fits', 'line\u2028sep.fits', '/data/caf\u00e9/x.fits']) {
        expect(await h.send(`exposure.set_filename "${bad}"`), JSON.stringify(bad)).to.match(/^ERROR invalid image (root|folder): .*\(not printable ASCII\)$/s);
        expect(await h.send(`set_par imageroot "${bad}"`), JSON.stringify(bad)).to.match(/^ERROR invalid image root/);
      }
      expect(await h.send('exposure.get_filename')).to.equal(before);
    });

    it("get_extname and increment_filenumber are azcam's (exposure and exposure.filename)", async () => {
      expect(await h.send('exposure.get_extname 1')).to.equal('OK fits');
      expect(await h.send('exposure.get_extname 2')).to.equal('OK bin');
      expect(await h.send('exposure.filename.get_extname 9')).to.equal('OK');
      expect(await h.send('exposure.get_extname')).to.equal('ERROR missing filetype');
      expect(await h.send('exposure.increment_filenumber')).to.equal('OK');
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 2');
      await h.send('set_par imagetest 1');
      expect(await h.send('exposure.filename.increment_filenumber')).to.equal('OK');
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 2');
    });

    it('refuses a name with no file in it', async () => {
      expect(await h.send('exposure.set_filename ""')).to.match(/^ERROR invalid filename/);
      expect(await h.send('exposure.set_filename')).to.equal('ERROR missing filename');
    });
  });

  describe('title and image type', () => {
    it('gets and sets the title, sent as it is (azcam)', async () => {
      expect(await h.send('exposure.get_image_title')).to.equal('OK');
      expect(await h.send('exposure.set_image_title "M31 field"')).to.equal('OK');
      expect(await h.send('exposure.get_image_title')).to.equal('OK M31 field');
      expect(await h.send('get_par imagetitle')).to.equal('OK M31 field');
      expect(await h.send('exposure.set_image_title M31 field')).to.equal('ERROR too many arguments: expected at most 1, got 2');
    });

    it("lists azcam's four image types, and sets any type as given (azcam's set_image_type)", async () => {
      expect(await h.send('exposure.get_image_types')).to.equal('OK zero object flat dark');
      expect(await h.send('exposure.set_image_type FLAT')).to.equal('OK');
      expect(await h.send('get_par imagetype')).to.equal('OK FLAT');
      expect(await h.send('exposure.set_image_type ramp')).to.equal('OK');
      expect(await h.send('exposure.get_image_type')).to.equal('OK ramp');
      expect(await h.send('set_par imagetype fe55')).to.equal('OK');
      expect(await h.send('exposure.get_image_type')).to.equal('OK fe55');
      expect(await h.send('exposure.set_image_type')).to.equal('OK');
      expect(await h.send('exposure.get_image_type')).to.equal('OK zero');
    });

    it("with autotitle, the title is the type lower-cased, an object's title left as it is (azcam's set_image_title)", async () => {
      await h.send('exposure.set_image_title "M31 field"');
      expect(await h.send('exposure.set_auto_title 1')).to.equal('OK');
      expect(await h.send('get_par autotitle')).to.equal('OK 1');
      expect(await h.send('exposure.get_image_title')).to.equal('OK M31 field');
      await h.send('set_par imagetype Fe55');
      expect(await h.send('exposure.get_image_title')).to.equal('OK fe55');
      await h.send('exposure.set_image_title other');
      expect(await h.send('exposure.get_image_title')).to.equal('OK fe55');
      await h.send('set_par imagetype object');
      expect(await h.send('exposure.get_image_title')).to.equal('OK fe55');
      expect(await h.send('exposure.set_auto_title')).to.equal('OK');
      expect(await h.send('get_par autotitle')).to.equal('OK 1');
      expect(await h.send('exposure.set_auto_title 0')).to.equal('OK');
      await h.send('set_par imagetype flat');
      expect(await h.send('exposure.get_image_title')).to.equal('OK fe55');
    });
  });

  describe('region of interest', () => {
    it('starts as the whole detector, unbinned', async () => {
      expect(await h.send('exposure.get_roi')).to.equal('OK 1 64 1 32 1 1');
    });

    it('answers the full 4k detector for the default preset', async () => {
      const big = new CameraHarness({ detector: presetGeometry('itl4k') });
      expect(await big.send('exposure.get_roi')).to.equal('OK 1 4096 1 4096 1 1');
      big.cleanup();
    });

    it('sets all six values, or only those given (-1 keeps one)', async () => {
      expect(await h.send('exposure.set_roi 11 40 5 20 2 3')).to.equal('OK');
      expect(await h.send('exposure.get_roi')).to.equal('OK 11 40 5 20 2 3');
      expect(await h.send('get_par colbin')).to.equal('OK 2');
      await h.send('exposure.set_roi -1 50');
      expect(await h.send('exposure.get_roi')).to.equal('OK 11 50 5 20 2 3');
      await h.send('exposure.set_roi row_bin=1');
      expect(await h.send('exposure.get_roi')).to.equal('OK 11 50 5 20 2 1');
    });

    it('refuses a region off the detector, empty, or with binning larger than it', async () => {
      expect(await h.send('exposure.set_roi 1 65 1 32')).to.equal('ERROR ROI out of range: 1 65 1 32 (detector is 1 64 1 32)');
      expect(await h.send('exposure.set_roi 0 64 1 32')).to.equal('ERROR ROI out of range: 0 64 1 32 (detector is 1 64 1 32)');
      expect(await h.send('exposure.set_roi 40 30 1 32')).to.equal('ERROR ROI is empty: 40 30 1 32 (detector is 1 64 1 32)');
      expect(await h.send('exposure.set_roi 1 4 1 32 8 1')).to.equal('ERROR binning 8x1 is larger than the ROI: 1 4 1 32 (detector is 1 64 1 32)');
      expect(await h.send('exposure.set_roi 1 64 1 32 0')).to.equal('ERROR invalid binning: colbin 0 (must be an integer >= 1)');
      expect(await h.send('exposure.set_roi a')).to.equal('ERROR invalid first col: a');
      expect(await h.send('exposure.set_roi 1 2 3 4 1 1 0 8')).to.equal('ERROR too many arguments: expected at most 7, got 8');
      expect(await h.send('exposure.get_roi')).to.equal('OK 1 64 1 32 1 1');
    });

    it('roi_reset goes back to the whole detector, keeping the binning (azcam)', async () => {
      await h.send('exposure.set_roi 2 10 2 10 2 2');
      expect(await h.send('exposure.roi_reset')).to.equal('OK');
      expect(await h.send('exposure.get_roi')).to.equal('OK 1 64 1 32 2 2');
    });
  });

  it('get_format describes the detector as azcam does: visible columns, prescan, underscan, overscan; rows ...', async () => {
    // 64 columns, each amp with 2 prescan and 4 overscan columns; 32 rows and 2 overscan rows.
    expect(await h.send('exposure.get_format')).to.equal('OK 64 2 0 4 32 0 0 2 0');
  });

  describe('focal plane', () => {
    it('set_focalplane accepts -1, azcam\'s default amp_cfg [0], or the detector\'s own values', async () => {
      expect(await h.send('exposure.get_focalplane')).to.equal('OK 1 1 2 1 [0, 1]');
      for (const args of ['', '-1 -1 -1 -1', '1 1 2 1 "[0, 1]"', 'numamps_x=2 amp_cfg=(0,1)', '1 -1 -1 -1 [0]']) {
        expect(await h.send(`exposure.set_focalplane ${args}`), args).to.equal('OK');
      }
    });

    it('refuses any other focal plane, or an amp_cfg that is not a list of flips', async () => {
      const fixed = "ERROR the focal plane of the simulated detector is fixed: 1 1 2 1 [0, 1] (choose another with --detector)";
      for (const args of ['2 1 -1 -1', '-1 -1 4 1', '-1 -1 -1 -1 [1,1]', '-1 -1 -1 -1 [0,1,0]', '-1 -1 -1 -1 [1]']) {
        expect(await h.send(`exposure.set_focalplane ${args}`), args).to.equal(fixed);
      }
      for (const amps of ['0,1', '[0,x]', '[-1]']) {
        expect(await h.send(`exposure.set_focalplane -1 -1 -1 -1 ${amps}`)).to.equal(`ERROR invalid amp_cfg: ${amps} (a list of amplifier flips, such as [0,1,2,3])`);
      }
    });
  });
});
