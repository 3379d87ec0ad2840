import { expect } from 'chai';
import { CameraHarness } from './harness.js';

describe('controller tool', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(() => h.cleanup());

  it('opens and closes the shutter', async () => {
    expect(await h.send('controller.get_shutter')).to.equal('OK 0');
    expect(await h.send('controller.set_shutter 1')).to.equal('OK');
    expect(await h.send('controller.get_shutter')).to.equal('OK 1');
    expect(await h.send('controller.set_shutter 0')).to.equal('OK');
    expect(await h.send('controller.get_shutter')).to.equal('OK 0');
  });

  it('refuses a shutter state other than 0 or 1', async () => {
    expect(await h.send('controller.set_shutter 2')).to.equal('ERROR invalid shutter state: 2 (use 0 or 1)');
    expect(await h.send('controller.set_shutter open')).to.equal('ERROR invalid state: open');
    expect(await h.send('controller.set_shutter')).to.equal('ERROR missing state');
  });

  it('reset closes the shutter', async () => {
    await h.send('controller.set_shutter 1');
    expect(await h.send('controller.reset')).to.equal('OK');
    expect(await h.send('controller.get_shutter')).to.equal('OK 0');
  });

  it("reports the exposure time written to it and the pixels left to read, as azcam's controller", async () => {
    expect(await h.send('controller.get_exposuretime')).to.equal('OK 1.0');
    await h.send('exposure.set_exposuretime 2.5');
    expect(await h.send('controller.get_exposuretime')).to.equal('OK 2.5');
    expect(await h.send('controller.get_pixels_remaining')).to.equal('OK 0');
    await h.startExposure('1');
    const read = await h.toReadout();
    read.progress.trackPixels(() => ({ remaining: 3000, total: 4000, writing: false }));
    expect(await h.send('controller.get_pixels_remaining')).to.equal('OK 3000');
    read.complete();
    await h.settle();
    expect(await h.send('controller.get_pixels_remaining')).to.equal('OK 0');
  });

  it('leaves a running exposure alone', async () => {
    await h.startExposure('1');
    expect(await h.send('controller.set_shutter 0')).to.equal('ERROR exposure in progress');
    expect(await h.send('controller.reset')).to.equal('ERROR exposure in progress');
    expect(await h.send('controller.get_shutter')).to.equal('OK 1');
  });
});
