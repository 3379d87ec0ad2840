import { expect } from 'chai';
import { imageFilename, namingFor, testFilename } from '../../lib/camera/filename.js';
import { InvalidArgumentError } from '../../lib/errors.js';

describe('image file naming', () => {
  const naming = { imagefolder: '/data', imageroot: 'itl.', imageincludesequencenumber: true, imagesequencenumber: 1 };

  it('is <imagefolder>/<imageroot><4-digit sequence number>.fits', () => {
    expect(imageFilename(naming)).to.equal('/data/itl.0001.fits');
    expect(imageFilename({ ...naming, imagesequencenumber: 123 })).to.equal('/data/itl.0123.fits');
    expect(imageFilename({ ...naming, imagesequencenumber: 12345 })).to.equal('/data/itl.12345.fits');
  });

  it('leaves the number out when told to', () => {
    expect(imageFilename({ ...naming, imageroot: 'flat', imageincludesequencenumber: false })).to.equal('/data/flat.fits');
  });

  it('puts test exposures in test.fits in the image folder', () => {
    expect(testFilename('/data')).to.equal('/data/test.fits');
  });

  it('turns a file name into the naming that gives exactly it', () => {
    const set = namingFor('/data/flats/flat1.fits', '/elsewhere');
    expect(set).to.deep.equal({ imagefolder: '/data/flats', imageroot: 'flat1', imageincludesequencenumber: false });
    expect(imageFilename({ ...naming, ...set })).to.equal('/data/flats/flat1.fits');
    expect(namingFor('sub/bias', '/data')).to.deep.equal({ imagefolder: '/data/sub', imageroot: 'bias', imageincludesequencenumber: false });
  });

  it('refuses a name that names no file', () => {
    for (const path of ['', '  ', '/data/', '/data/.fits']) {
      expect(() => namingFor(path, '/data'), path).to.throw(InvalidArgumentError, 'invalid filename');
    }
  });
});
