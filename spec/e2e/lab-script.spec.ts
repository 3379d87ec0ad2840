/**
 * End to end (issue 5, "Done when"): an azcam lab script in Python — a plain socket and the azcam
 * client's reply rules — sets parameters, takes a series of exposures, polls status and reads
 * temperatures, unchanged, and gets the replies it expects.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { E2E, primaryHeader } from './support.js';
import { requireOrSkip } from '../support/requirements.js';

const SCRIPT = fileURLToPath(new URL('../../../spec/e2e/lab_script.py', import.meta.url));

async function hasPython(): Promise<boolean> {
  return promisify(execFile)('python3', ['--version']).then(
    () => true,
    () => false,
  );
}

describe('e2e: an azcam lab script in Python', function () {
  this.timeout(30000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  before(async function () {
    requireOrSkip(this, await hasPython(), 'python3');
  });

  it('runs unchanged and sees what azcam would answer', async () => {
    const { port, dataDir } = await e2e.start();
    const { stdout } = await promisify(execFile)('python3', [SCRIPT, String(port)]);
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    const folder = join(dataDir, 'night1');
    expect(seen['register']).to.equal(null);
    expect(seen['files']).to.deep.equal([1, 2, 3].map((n) => join(folder, `flat.000${n}.fits`)));
    expect((seen['states'] as string[]).at(-1)).to.equal('NONE');
    expect(seen['last']).to.include({ exposurestate: 'NONE', filename: join(folder, 'flat.0004.fits'), message: '' });
    expect(seen['temperatures']).to.have.length(3);
    expect(seen['roi']).to.deep.equal([1, 2048, 1, 2048, 1, 1]);
    expect(seen['flag']).to.deep.equal(['0', 'NONE']);
    expect(seen['exptime']).to.deep.equal(['0.05', 'Exposure time (seconds)', 'float']);
    // reply[3:] is the string itself, as azcam sends it (never quoted as one word).
    expect(seen['title']).to.equal('M31 field');
    expect(seen['filename']).to.equal(join(folder, 'flat.0005.fits'));
    expect(seen['imagefolder']).to.equal(folder);
    expect(seen['sequence']).to.equal(5);
    expect(seen['error']).to.equal('ERROR invalid exposure time: abc');
    expect(primaryHeader(join(folder, 'flat.0002.fits')).get('OBJECT')).to.equal('dome flat 1');
    expect(primaryHeader(join(folder, 'flat.0004.fits')).get('IMAGETYP')).to.equal('object');
  });
});
