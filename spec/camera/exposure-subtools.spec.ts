import { expect } from 'chai';
import { once } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CameraHarness } from './harness.js';

describe('exposure sub-objects: image, sendimage, filename (azcam)', () => {
  let h: CameraHarness;

  beforeEach(async () => {
    h = new CameraHarness();
    h.readout.autoComplete = true;
  });
  afterEach(() => h.cleanup());

  async function expose(): Promise<void> {
    const reply = h.send('exposure.expose 0');
    await h.clock.timerSet();
    await h.clock.advance(0);
    expect(await reply).to.equal('OK');
  }

  it('exposure.image.write_file writes the last image again under another name, over a file only with imageoverwrite', async () => {
    expect(await h.send('exposure.image.write_file copy 0')).to.equal('ERROR no image yet: expose first');
    await expose();
    const before = new Set(readdirSync(h.folder));
    expect(await h.send('exposure.image.write_file copy')).to.equal('OK');
    expect(readFileSync(join(h.folder, 'copy.fits'), 'utf8')).to.equal('not really FITS');
    expect(readdirSync(h.folder).filter((name) => !before.has(name))).to.deep.equal(['copy.fits']); // no temporary file left
    writeFileSync(join(h.folder, 'copy.fits'), 'older');
    expect(await h.send('exposure.image.write_file copy')).to.equal(`ERROR cannot write image ${join(h.folder, 'copy.fits')}: file exists (set imageoverwrite to replace it)`);
    expect(readFileSync(join(h.folder, 'copy.fits'), 'utf8')).to.equal('older');
    expect(await h.send('set_par imageoverwrite 1')).to.equal('OK');
    expect(await h.send('exposure.image.write_file copy')).to.equal('OK');
    expect(readFileSync(join(h.folder, 'copy.fits'), 'utf8')).to.equal('not really FITS');
    expect(await h.send('exposure.image.write_file other 2')).to.equal('ERROR invalid filetype: 2 (only FITS: -1, 0, 1 or 6)');
    // Not even with imageoverwrite over a file of another kind: the server's lock, its parameter file.
    writeFileSync(join(h.folder, '.azcam-server.lock'), '123\n');
    for (const name of ['.azcam-server.lock', 'azcam-parameters.json', 'notes.txt']) {
      expect(await h.send(`exposure.image.write_file ${name}`), name).to.equal(`ERROR invalid filename: ${name} (an image file name ends in .fits, .fit or .fts)`);
    }
    expect(readFileSync(join(h.folder, '.azcam-server.lock'), 'utf8')).to.equal('123\n');
    expect(await h.send('exposure.image.write_file copy.FIT')).to.equal('OK');
  });

  it('exposure.sendimage sends the last image to a dataserver: a 256-byte header, then the bytes', async () => {
    const received: Buffer[] = [];
    const server = createServer((socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      // Nothing set yet: azcam's SendImage starts with '', 0, '', '', and its list reply drops the empty strings.
      expect(await h.send('exposure.sendimage.get_remote_imageserver')).to.equal('OK 0');
      expect(await h.send('exposure.sendimage.send_image')).to.equal('ERROR no image yet: expose first');
      expect(await h.send(`exposure.sendimage.set_remote_imageserver 127.0.0.1 ${port}`)).to.equal('OK');
      expect(await h.send('exposure.sendimage.get_remote_imageserver')).to.equal(`OK 127.0.0.1 ${port} dataserver image`);
      await expose();
      expect(await h.send('exposure.sendimage.send_image')).to.equal('OK');
      const bytes = Buffer.concat(received);
      expect(bytes.subarray(0, 256).toString('latin1').trimEnd()).to.equal(`${String(15).padStart(16)} image.fits 1 64 32 0`);
      expect(bytes.subarray(256).toString('utf8')).to.equal('not really FITS');
    } finally {
      server.close();
    }
  });

  it('exposure.filename reaches the file naming', async () => {
    expect(await h.send('exposure.filename.get_filename')).to.equal(`OK ${join(h.folder, 'itl.0001.fits')}`);
    expect(await h.send('exposure.filename.increment_filenumber')).to.equal('OK');
    expect(await h.send('exposure.filename.get_filename')).to.equal(`OK ${join(h.folder, 'itl.0002.fits')}`);
    expect(await h.send('exposure.filename.get_extname 2')).to.equal('OK bin');
    expect(await h.send('exposure.filename.set_filename /tmp/x.fits')).to.equal('OK');
  });
});
