import { expect } from 'chai';
import { imageFilename, namingFor, testFilename } from '../../lib/camera/filename.js';
import { InvalidArgumentError } from '../../lib/errors.js';

describe('image file naming', () => {
  const naming = { imagefolder: '/data', imageroot: 'itl.', imageincludesequencenumber: true, imagesequencenumber: 1, imageautoname: false, imagetype: 'flat' };

  it('is <imagefolder>/<imageroot><4-digit sequence number>.fits', () => {
    expect(imageFilename(naming)).to.equal('/data/itl.0001.fits');
    expect(imageFilename({ ...naming, imagesequencenumber: 123 })).to.equal('/data/itl.0123.fits');
    expect(imageFilename({ ...naming, imagesequencenumber: 12345 })).to.equal('/data/itl.12345.fits');
  });

  it('leaves the number out when told to, two dots made one as azcam makes them', () => {
    expect(imageFilename({ ...naming, imageroot: 'flat', imageincludesequencenumber: false })).to.equal('/data/flat.fits');
    expect(imageFilename({ ...naming, imageincludesequencenumber: false })).to.equal('/data/itl.fits');
  });

  it('puts the image type, upper-cased, before the number with imageautoname (azcam get_filename)', () => {
    expect(imageFilename({ ...naming, imageautoname: true })).to.equal('/data/itl.FLAT.0001.fits');
    expect(imageFilename({ ...naming, imageautoname: true, imageroot: 'run', imagetype: 'Fe55' })).to.equal('/data/run.FE55.0001.fits');
    expect(imageFilename({ ...naming, imageautoname: true, imageincludesequencenumber: false })).to.equal('/data/itl.FLAT.fits');
    expect(imageFilename({ ...naming, imageautoname: true, imageroot: 'run', imageincludesequencenumber: false })).to.equal('/data/run.FLAT.fits');
  });

  it('puts test exposures in test.fits in the image folder', () => {
    expect(testFilename('/data')).to.equal('/data/test.fits');
  });

  it("sets folder and root from a file name as azcam's set_filename does: the root is the name up to its first dot", () => {
    expect(namingFor('/data/sub/flat.0005.fits')).to.deep.equal({ imagefolder: '/data/sub', imageroot: 'flat' });
    expect(namingFor('/data/flats/flat1.fits')).to.deep.equal({ imagefolder: '/data/flats', imageroot: 'flat1' });
    expect(namingFor('sub/bias')).to.deep.equal({ imagefolder: 'sub', imageroot: 'bias' });
    expect(namingFor('bias')).to.deep.equal({ imagefolder: '.', imageroot: 'bias' });
    expect(namingFor('/data/sub/')).to.deep.equal({ imagefolder: '/data', imageroot: 'sub' });
  });

  it('refuses a blank name', () => {
    for (const path of ['', '  ']) {
      expect(() => namingFor(path), path).to.throw(InvalidArgumentError, 'invalid filename');
    }
  });
});
