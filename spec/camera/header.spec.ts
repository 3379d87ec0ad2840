import { expect } from 'chai';
import { fitsFloat } from '../../lib/readout/fits.js';
import { HeaderKeywords } from '../../lib/camera/header.js';
import { CameraHarness } from './harness.js';

describe('header keywords', () => {
  describe('through the exposure tool', () => {
    let h: CameraHarness;

    beforeEach(() => {
      h = new CameraHarness();
    });
    afterEach(() => h.cleanup());

    it('has the camera keywords, kept current', async () => {
      expect(await h.send('exposure.get_keyword EXPTIME')).to.equal("OK 1.0 'Exposure time (seconds)' float");
      await h.send('set_par exposuretime 2.5');
      expect(await h.send('exposure.get_keyword EXPTIME')).to.equal("OK 2.5 'Exposure time (seconds)' float");
      expect(await h.send('exposure.get_keyword IMAGETYP')).to.equal("OK object 'Image type' str");
      expect(await h.send('exposure.get_keyword OBJECT')).to.equal("OK '' 'Image title' str");
      expect(await h.send('exposure.get_keyword DETECTOR')).to.equal("OK tiny 'Detector name' str");
      expect(await h.send('exposure.get_keyword INSTRUME')).to.equal("OK azcam-sim 'Instrument name' str");
      expect(await h.send('exposure.get_keyword FILTER')).to.equal("OK clear 'Filter name' str");
      expect(await h.send('exposure.get_keyword DATE-OBS')).to.equal("OK 2025-01-01T00:00:00.000 'UTC date and time of exposure start' str");
      expect(await h.send('exposure.get_keyword CCDTEMP')).to.match(/^OK -1(09|10)\.\d+ 'CCD temperature \(C\)' float$/);
      expect(await h.send('exposure.get_keyword DEWTEMP')).to.match(/^OK -1(69|70)\.\d+ 'Dewar temperature \(C\)' float$/);
    });

    it('lists the keywords, the camera ones first', async () => {
      await h.send('exposure.set_keyword OBSERVER Ann');
      expect(await h.send('exposure.get_keywords')).to.equal(
        'OK DATE-OBS EXPTIME IMAGETYP OBJECT DETECTOR INSTRUME FILTER CCDTEMP DEWTEMP OBSERVER',
      );
    });

    it('sets a keyword with a comment and a type, or infers the type', async () => {
      expect(await h.send('exposure.set_keyword OBSERVER "Jane Doe" "Observer name"')).to.equal('OK');
      expect(await h.send('exposure.get_keyword OBSERVER')).to.equal("OK 'Jane Doe' 'Observer name' str");
      await h.send('exposure.set_keyword GAIN 2');
      expect(await h.send('exposure.get_keyword GAIN')).to.equal("OK 2 '' int");
      await h.send('exposure.set_keyword RDNOISE 3.50 "Read noise (e-)"');
      expect(await h.send('exposure.get_keyword RDNOISE')).to.equal("OK 3.5 'Read noise (e-)' float");
      await h.send('exposure.set_keyword RUNID 0042 "" str');
      expect(await h.send('exposure.get_keyword RUNID')).to.equal("OK 0042 '' str");
      await h.send('exposure.set_keyword SCALE 3 "" float');
      expect(await h.send('exposure.get_keyword SCALE')).to.equal("OK 3.0 '' float");
    });

    it('takes keyword names in any case and replaces an earlier value', async () => {
      await h.send('exposure.set_keyword observer Ann');
      await h.send('exposure.set_keyword OBSERVER Bob');
      expect(await h.send('exposure.get_keyword Observer')).to.equal("OK Bob '' str");
    });

    it('refuses what cannot go into a FITS header', async () => {
      const refused: [string, string][] = [
        ['TOOLONGKEY 1', 'ERROR invalid FITS keyword: TOOLONGKEY'],
        ['"BAD KEY" 1', 'ERROR invalid FITS keyword: BAD KEY'],
        ['NOTE "caf\u00e9"', 'ERROR FITS header value for NOTE must be printable ASCII'],
        ['NOTE ok "caf\u00e9"', 'ERROR FITS comment for NOTE must be printable ASCII'],
        ['COMMENT hello', 'ERROR FITS keyword COMMENT takes no value'],
        ['NAXIS1 10', 'ERROR keyword NAXIS1 is written by the FITS encoder'],
        ['BITPIX 8', 'ERROR keyword BITPIX is written by the FITS encoder'],
        ['EXPTIME 5', 'ERROR keyword EXPTIME is set by the camera'],
        ['GAIN abc "" int', 'ERROR invalid keyword value: abc'],
        ['GAIN 1 "" bool', 'ERROR invalid keyword type: bool (use str, int, float)'],
        ['GAIN', 'ERROR missing value'],
        ['GAIN 1 c int extra', 'ERROR too many arguments: expected at most 4, got 5'],
      ];
      for (const [args, reply] of refused) {
        expect(await h.send(`exposure.set_keyword ${args}`), args).to.equal(reply);
      }
      expect(await h.send('exposure.get_keyword GAIN')).to.equal('ERROR unknown keyword: GAIN');
    });

    it('answers an unknown keyword with ERROR', async () => {
      expect(await h.send('exposure.get_keyword NOSUCH')).to.equal('ERROR unknown keyword: NOSUCH');
      expect(await h.send('exposure.get_keyword')).to.equal('ERROR missing keyword');
    });
  });

  describe('snapshot', () => {
    let exptime: number;
    const header = () => new HeaderKeywords({ EXPTIME: { type: 'float', comment: 'Exposure time (seconds)', read: () => exptime } });

    beforeEach(() => {
      exptime = 1;
    });

    it('makes FITS cards, floats marked as such', () => {
      const keywords = header();
      keywords.set('GAIN', '2', 'e-/ADU');
      keywords.set('OBSERVER', 'Ann');
      expect(keywords.snapshot()).to.deep.equal([
        { key: 'EXPTIME', value: fitsFloat(1), comment: 'Exposure time (seconds)' },
        { key: 'GAIN', value: 2, comment: 'e-/ADU' },
        { key: 'OBSERVER', value: 'Ann', comment: '' },
      ]);
    });

    it('is frozen: later changes do not reach it', () => {
      const keywords = header();
      keywords.set('OBSERVER', 'Ann');
      const cards = keywords.snapshot();
      exptime = 9;
      keywords.set('OBSERVER', 'Bob');
      keywords.set('EXTRA', 'x');
      expect(cards.map((card) => card.value)).to.deep.equal([fitsFloat(1), 'Ann']);
      expect(Object.isFrozen(cards)).to.equal(true);
      expect(cards.every((card) => Object.isFrozen(card))).to.equal(true);
    });

    it('takes the exposure\'s own value of a camera keyword', () => {
      expect(header().snapshot({ EXPTIME: 0 })[0]).to.deep.equal({ key: 'EXPTIME', value: fitsFloat(0), comment: 'Exposure time (seconds)' });
    });
  });
});
