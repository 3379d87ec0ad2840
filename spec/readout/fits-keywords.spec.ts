import { expect } from 'chai';
import { ENCODER_KEYWORDS, isCalibrationKeyword, isEncoderKeyword, isProtectedKeyword, READOUT_KEYWORDS, standardType, standardValueProblem } from '../../lib/readout/fits-keywords.js';
import { fullRoi, makeGeometry } from '../../lib/readout/geometry.js';
import { processReadout } from '../../lib/readout/process.js';
import { IMAGE_FORMATS, type ImageFormat } from '../../lib/readout/request.js';
import { BIAS_SUBTRACTIONS, type BiasSubtraction } from '../../lib/readout/overscan.js';
import type { HeaderCard } from '../../lib/readout/fits.js';
import { readFits } from '../support/read-fits.js';

const G = makeGeometry({ name: 'tiny', width: 8, height: 6, amps: 4, prescan: 1, overscanCols: 2, overscanRows: 1 });

/** The FITS file of a readout of G with these settings and header cards. */
function readout(format: ImageFormat, biasSubtraction: BiasSubtraction, cards: HeaderCard[]): Uint8Array {
  return processReadout({
    camera: 'cam1',
    filename: 'unused.fits',
    overwrite: false,
    geometry: G,
    roi: fullRoi(G),
    simulation: { imageType: 'object', exposureTime: 1, seed: 1 },
    processing: { biasSubtraction, format },
    cards,
  }).fits;
}

describe('readout/fits-keywords', () => {
  it("writes a client's calibration keyword (GAIN) once, in the primary header, in every format (fused path included)", () => {
    for (const format of IMAGE_FORMATS) {
      for (const biasSubtraction of BIAS_SUBTRACTIONS) {
        const fits = readout(format, biasSubtraction, [{ key: 'GAIN', value: 2.5 }]);
        const [primary, ...extensions] = readFits(fits);
        expect(primary.cards.get('GAIN'), `${format} ${biasSubtraction}`).to.equal(2.5);
        expect(extensions.filter((hdu) => hdu.cards.has('GAIN')), `${format} ${biasSubtraction}`).to.deep.equal([]);
        expect(extensions.every((hdu) => hdu.cards.has('RDNOISE'))).to.equal(true);
      }
    }
  });

  it('names every keyword a readout writes, in every format and bias mode (the one list a client may not set)', () => {
    for (const format of IMAGE_FORMATS) {
      for (const biasSubtraction of BIAS_SUBTRACTIONS) {
        const fits = readout(format, biasSubtraction, []);
        const written = readFits(fits).flatMap((hdu) => hdu.keys);
        const unnamed = written.filter((key) => !isProtectedKeyword(key) && !isCalibrationKeyword(key));
        expect(unnamed, `${format} ${biasSubtraction}`).to.deep.equal([]);
      }
    }
    expect(READOUT_KEYWORDS.filter(isEncoderKeyword)).to.deep.equal([]);
  });

  it('reads the standard notation: n is an index, anything else is literal', () => {
    expect(ENCODER_KEYWORDS.filter((key) => key.startsWith('NAXIS'))).to.deep.equal(['NAXIS', 'NAXISn']);
    for (const key of ['NAXIS', 'NAXIS1', 'NAXIS999', 'TFORM12', 'BLANK', 'CHECKSUM', 'EXTNAME']) expect(isProtectedKeyword(key), key).to.equal(true);
    for (const key of ['NAXISA', 'TFORM', 'OBSERVER', 'GAINX', 'DATE-BEG']) expect(isProtectedKeyword(key), key).to.equal(false);
    expect(isEncoderKeyword('EXTNAME')).to.equal(false);
  });

  it('knows the types the standard fixes', () => {
    expect(['DATE', 'EQUINOX', 'WCSAXES', 'OBSERVER', 'PC1_2', 'MJD-OBS', 'MYKEY'].map(standardType)).to.deep.equal([
      'date',
      'real',
      'integer',
      'string',
      'real',
      'real',
      undefined,
    ]);
    expect(standardValueProblem('DATE', '2025-01-01')).to.equal(undefined);
    expect(standardValueProblem('DATE', '2025-1-1')).to.match(/must be a date/);
    expect(standardValueProblem('RADECSYS', 'FK4-NO-E')).to.equal(undefined);
    expect(standardValueProblem('RADESYS', 'icrs')).to.match(/ICRS, FK5/);
    expect(standardValueProblem('OBSERVER', 'anything')).to.equal(undefined);
  });
});
