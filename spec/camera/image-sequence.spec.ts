import { expect } from 'chai';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageNames } from '../../lib/camera/image-names.js';
import { ImageSequence, LAST_SEQUENCE_NUMBER } from '../../lib/camera/image-sequence.js';
import { InvalidStateError } from '../../lib/errors.js';
import { defaultParameters, Parameters } from '../../lib/camera/parameters.js';
import { presetGeometry } from '../../lib/readout/geometry.js';

describe('ImageSequence', () => {
  let folder: string;
  let parameters: Parameters;
  let names: ImageNames;
  let sequence: ImageSequence;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'azcam-sequence-'));
    const detector = presetGeometry('sta2k');
    parameters = new Parameters(detector, defaultParameters(detector, folder));
    names = new ImageNames();
    sequence = new ImageSequence(parameters, names, 'cam1');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('skips the numbers whose files exist or another exposure has claimed, up to the first free one', () => {
    for (const name of ['itl.0001.fits', 'itl.0002.fits', 'itl.0005.fits']) writeFileSync(join(folder, name), 'x');
    names.claim(join(folder, 'itl.0003.fits'), new Promise(() => undefined));
    sequence.skipTaken();
    expect(parameters.get('imagesequencenumber')).to.equal(4);
  });

  it('takes a name held by a link as taken, even a dangling one (the write could not have it)', () => {
    symlinkSync(join(folder, 'nowhere.fits'), join(folder, 'itl.0001.fits'));
    sequence.skipTaken();
    expect(parameters.get('imagesequencenumber')).to.equal(2);
  });

  it('refuses a number past the last an image can take, rather than count where numbers are no longer exact', () => {
    parameters.update({ imagesequencenumber: LAST_SEQUENCE_NUMBER });
    expect(() => sequence.skipTaken()).not.to.throw();
    sequence.claim().advance();
    expect(parameters.get('imagesequencenumber')).to.equal(Number.MAX_SAFE_INTEGER);
    expect(() => sequence.skipTaken()).to.throw(InvalidStateError, /past the last one an image can take/);
    parameters.update({ imageincludesequencenumber: false });
    expect(() => sequence.skipTaken()).to.throw(InvalidStateError);
    parameters.update({ imagetest: true });
    expect(() => sequence.skipTaken()).not.to.throw();
  });

  it('stops skipping taken numbers at the last, and refuses it then', () => {
    const last = LAST_SEQUENCE_NUMBER;
    parameters.update({ imagesequencenumber: last - 1 });
    for (const number of [last - 1, last]) writeFileSync(join(folder, `itl.${number}.fits`), 'x');
    expect(() => sequence.skipTaken()).to.throw(InvalidStateError);
    expect(parameters.get('imagesequencenumber')).to.equal(last - 1);
  });

  it('skips nothing with auto-increment off, or in a folder that does not exist', () => {
    writeFileSync(join(folder, 'itl.0001.fits'), 'x');
    parameters.update({ imageautoincrementsequencenumber: false });
    sequence.skipTaken();
    expect(parameters.get('imagesequencenumber')).to.equal(1);
    parameters.update({ imageautoincrementsequencenumber: true });
    rmSync(folder, { recursive: true });
    sequence.skipTaken();
    expect(parameters.get('imagesequencenumber')).to.equal(1);
  });

  it('moves on when the exposure says so, and gives the number back if the image fails', () => {
    const claim = sequence.claim();
    expect(parameters.get('imagesequencenumber')).to.equal(1);
    claim.advance();
    expect(parameters.get('imagesequencenumber')).to.equal(2);
    claim.giveBack();
    expect(parameters.get('imagesequencenumber')).to.equal(1);
  });

  it('moves on from the number as it is then, keeping a change made during the exposure (azcam increments at its end)', () => {
    const claim = sequence.claim();
    parameters.update({ imagesequencenumber: 2 }); // increment_filenumber while it integrates
    claim.advance();
    expect(parameters.get('imagesequencenumber')).to.equal(3);
    claim.giveBack();
    expect(parameters.get('imagesequencenumber')).to.equal(2);
  });

  it('gives back nothing it has not moved on, nor a number a later exposure has taken', () => {
    const unmoved = sequence.claim();
    unmoved.giveBack();
    expect(parameters.get('imagesequencenumber')).to.equal(1);
    const first = sequence.claim();
    first.advance();
    sequence.claim().advance();
    first.giveBack();
    expect(parameters.get('imagesequencenumber')).to.equal(3);
  });
});
