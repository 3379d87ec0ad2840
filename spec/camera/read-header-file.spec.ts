import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_HEADER_FILE_BYTES } from '../../lib/camera/exposure-commands.js';
import { ImageStore } from '../../lib/storage/image-store.js';
import { CameraHarness } from './harness.js';

describe('read_header_file', () => {
  let dataDir: string;
  let h: CameraHarness;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'header-file-'));
    const store = new ImageStore(dataDir);
    h = new CameraHarness({ imageFolder: dataDir, resolveImageFolder: (folder, subject) => store.resolveFolder(folder, subject) });
  });
  afterEach(() => {
    h.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the keywords of a template in the data directory (exposure tool and api)', async () => {
    writeFileSync(join(dataDir, 'bok.txt'), '# Bok 90"\nTELESCOP bok / telescope\nEQUINOX 2000\nOBSLAT 31.96 / latitude\n');
    expect(await h.send('exposure.read_header_file bok.txt')).to.equal('OK');
    expect(await h.send('exposure.get_keyword TELESCOP')).to.equal("OK bok telescope str");
    expect(await h.send('exposure.get_keyword EQUINOX')).to.equal('OK 2000.0  float');
    expect(await h.send('instrument.get_keyword OBSLAT')).to.equal("OK 31.96 latitude float");
    writeFileSync(join(dataDir, 'more.txt'), 'OBSERVER Ann');
    expect(await h.send(`read_header_file ${join(dataDir, 'more.txt')}`)).to.equal('OK');
    expect(await h.send('exposure.get_keyword OBSERVER')).to.equal('OK Ann  str');
  });

  it('sets a float written with underscores, and inf as text', async () => {
    writeFileSync(join(dataDir, 'gain.txt'), 'GAIN 1_000.5 / e-/ADU\nSATURATE inf\n');
    expect(await h.send('exposure.read_header_file gain.txt')).to.equal('OK');
    expect(await h.send('exposure.get_keyword GAIN')).to.equal('OK 1000.5 e-/ADU float');
    expect(await h.send('exposure.get_keyword SATURATE')).to.equal('OK inf  str');
  });

  it('sets an int with every digit, as astropy writes a Python int; one no card holds is refused, naming its line', async () => {
    writeFileSync(join(dataDir, 'big.txt'), 'SERIALNO 12345678901234567890 / board\n');
    expect(await h.send('exposure.read_header_file big.txt')).to.equal('OK');
    expect(await h.send('exposure.get_keyword SERIALNO')).to.equal('OK 12345678901234567890 board int');
    writeFileSync(join(dataDir, 'wide.txt'), `OBSERVER Ann\nWIDE ${'9'.repeat(71)}\n`);
    expect(await h.send('exposure.read_header_file wide.txt')).to.equal('ERROR wide.txt line 2: FITS integer value for WIDE too long: at most 70 characters fit a card');
    writeFileSync(join(dataDir, 'huge.txt'), `OBSERVER Ann\nHUGE ${'9'.repeat(4301)}\n`);
    expect(await h.send('exposure.read_header_file huge.txt')).to.equal('ERROR huge.txt line 2: integer too long: 4301 digits (Python int() takes at most 4300)');
    expect(await h.send('exposure.get_keyword OBSERVER')).to.equal('ERROR unknown keyword: OBSERVER');
  });

  it('sets nothing from a template with a bad line, and says which', async () => {
    writeFileSync(join(dataDir, 'bad.txt'), 'OBSERVER Ann\nEXPTIME 3 / no\n');
    expect(await h.send('exposure.read_header_file bad.txt')).to.equal('ERROR bad.txt line 2: keyword EXPTIME is set by the camera');
    writeFileSync(join(dataDir, 'bad.txt'), 'OBSERVER Ann\nTELESCOP\n');
    expect(await h.send('exposure.read_header_file bad.txt')).to.equal('ERROR bad.txt line 2: no value for TELESCOP (write KEYWORD value / comment)');
    expect(await h.send('exposure.get_keyword OBSERVER')).to.equal('ERROR unknown keyword: OBSERVER');
  });

  it('refuses a missing file, one outside the data directory, and a huge one', async () => {
    expect(await h.send('exposure.read_header_file none.txt')).to.equal(`ERROR header file not found: ${join(dataDir, 'none.txt')}`);
    expect(await h.send('exposure.read_header_file ../outside.txt')).to.equal(`ERROR header file must be inside the data directory ${dataDir}: ..`);
    expect(await h.send('exposure.read_header_file /etc/hostname')).to.equal(`ERROR header file must be inside the data directory ${dataDir}: /etc`);
    writeFileSync(join(dataDir, 'huge.txt'), `OBSERVER ${'x'.repeat(MAX_HEADER_FILE_BYTES)}\n`);
    expect(await h.send('exposure.read_header_file huge.txt')).to.equal(`ERROR header file too large: ${join(dataDir, 'huge.txt')} (at most ${MAX_HEADER_FILE_BYTES} bytes)`);
  });
});
