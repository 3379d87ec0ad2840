import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CameraHarness } from './harness.js';

describe('exposure sequences, guide mode and exposures in steps (azcam)', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
    h.readout.autoComplete = true;
  });
  afterEach(() => h.cleanup());

  it('sequence takes N exposures with the current settings, the delay between them, and counts them in get_status', async () => {
    await h.send('set_exposuretime 2');
    const reply = h.send('exposure.sequence 3 0 5');
    await h.clock.timerSet();
    expect(await h.status()).to.include({ seqcount: 1, seqtotal: 3, message: 'EXPOSING - 1 of 3' });
    expect(await h.runToEnd(reply)).to.equal('OK');
    expect(['itl.0001.fits', 'itl.0002.fits', 'itl.0003.fits'].every((name) => existsSync(join(h.folder, name)))).to.equal(true);
    expect(h.camera.clocking.flushes).to.equal(3);
    expect(await h.status()).to.include({ seqcount: 0, seqtotal: 0 });
    expect(await h.send('get_par exposuresequencedelay')).to.equal('OK 5.0');
  });

  it('sequence keeps the saved number, flush and delay for -1, and flushes only before the first with flag 1', async () => {
    await h.send('set_par exposuresequencetotal 2');
    expect(await h.runToEnd(h.send('sequence -1 1 -1'))).to.equal('OK'); // the api short form
    expect(h.readout.requests).to.have.length(2);
    expect(h.camera.clocking.flushes).to.equal(1);
  });

  it('abort stops the sequence with the exposure under way; the sequence replies OK', async () => {
    const reply = h.send('exposure.sequence 5');
    await h.clock.timerSet();
    await h.clock.advance(1000);
    await h.clock.timerSet();
    expect(await h.send('exposure.abort')).to.equal('OK');
    expect(await reply).to.equal('OK');
    expect(h.readout.requests).to.have.length(1);
    expect(await h.status()).to.include({ message: 'aborted', seqtotal: 0 });
  });

  it('sequence1 replies at once; a second sequence meanwhile is refused', async () => {
    expect(await h.send('exposure.sequence1 2')).to.equal('OK');
    expect(await h.send('exposure.sequence 2')).to.equal('ERROR exposure in progress');
    while (h.readout.requests.length < 2 || h.camera.sequencer.progress) await h.clock.advance(1000);
    expect(h.readout.requests).to.have.length(2);
  });

  it('guide takes object exposures titled "guide image"', async () => {
    expect(await h.runToEnd(h.send('exposure.guide 2'))).to.equal('OK');
    expect(h.readout.requests.map((r) => r.simulation.imageType)).to.deep.equal(['object', 'object']);
    expect(await h.send('get_image_title')).to.equal('OK guide image');
  });

  it('begin, integrate, readout and end make one exposure a step at a time', async () => {
    expect(await h.send('exposure.begin 1 flat "step by step"')).to.equal('OK');
    expect(await h.send('exposure.get_exposureflag')).to.equal('OK 8 SETUP');
    expect(await h.send('exposure.expose 1')).to.equal('ERROR exposure in progress');
    const integrating = h.send('exposure.integrate');
    await h.clock.timerSet();
    expect(await h.send('exposure.get_exposureflag')).to.equal('OK 1 EXPOSING');
    await h.clock.advance(1000);
    expect(await integrating).to.equal('OK');
    expect(await h.send('exposure.get_exposureflag')).to.equal('OK 5 READ');
    expect(h.readout.requests).to.have.length(0);
    expect(await h.send('exposure.readout')).to.equal('OK');
    expect(await h.send('exposure.end')).to.equal('OK');
    expect(existsSync(join(h.folder, 'itl.0001.fits'))).to.equal(true);
    expect(h.readout.requests[0]?.simulation).to.include({ imageType: 'flat', exposureTime: 1 });
  });

  it('a step without begin is an error, and abort ends a stepped exposure', async () => {
    expect(await h.send('exposure.integrate')).to.equal('ERROR cannot integrate: no exposure begun (use exposure.begin)');
    await h.send('exposure.begin 1');
    expect(await h.send('exposure.abort')).to.equal('OK');
    expect(await h.send('exposure.end')).to.equal('OK');
    expect(await h.status()).to.include({ message: 'aborted' });
    expect(await h.send('exposure.expose1 1')).to.equal('OK');
  });

  it('start_readout ends the integration early', async () => {
    const reply = h.send('exposure.expose 100');
    await h.clock.timerSet();
    expect(await h.send('exposure.start_readout')).to.equal('OK');
    expect(await reply).to.equal('OK');
    expect(h.readout.requests).to.have.length(1);
  });

  it('test opens the shutter when asked and writes test.fits without moving the sequence', async () => {
    const reply = h.send('test 0.5 1');
    await h.clock.timerSet();
    expect(await h.send('controller.get_shutter')).to.equal('OK 1');
    await h.clock.advance(500);
    expect(await reply).to.equal('OK');
    expect(h.readout.requests[0]?.filename).to.equal(join(h.folder, 'test.fits'));
    expect(await h.send('get_par imagesequencenumber')).to.equal('OK 1');
  });
});
