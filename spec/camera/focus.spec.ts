import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOVE_DELAY_MS } from '../../lib/camera/focus.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { CameraHarness, fakeSession } from './harness.js';
import { cardValue } from '../support/card-value.js';

describe('focus tool (azcam)', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
    h.readout.autoComplete = true;
  });
  afterEach(() => h.cleanup());

  function card(key: string, request = h.readout.requests.at(-1)): unknown {
    return request && cardValue(request.cards, key);
  }

  /** The focus position each time the camera lock is released. */
  function focusAtRelease(): number[] {
    const { lock, instrument } = h.camera;
    const acquire = lock.tryAcquire.bind(lock);
    const released: number[] = [];
    lock.tryAcquire = () => {
      const release = acquire();
      return () => {
        released.push(instrument.focus);
        release();
      };
    };
    return released;
  }

  /** Starts `focus.run args` and lets it run until `ms` after integration began. */
  async function focusRunFor(args: string, ms: number): Promise<{ reply: Promise<string> }> {
    const reply = h.send(`focus.run ${args}`);
    await h.clock.timerSet();
    await h.clock.advance(ms);
    return { reply };
  }

  it('integrates one image at each focus step, shifting the detector between (twice before the last), then reads it out', async () => {
    await h.send('instrument.set_focus 100');
    const reply = h.send('focus.run 2 3 30 10');
    await h.clock.timerSet();
    expect(await h.flag()).to.equal('OK 1 EXPOSING');
    await h.clock.advance(2000);
    expect(await h.flag()).to.equal('OK 8 SETUP');
    expect(await h.send('instrument.get_focus')).to.equal('OK 130.0');
    expect(h.camera.clocking.rowsShifted).to.equal(0); // the focus settles first
    await h.clock.advance(MOVE_DELAY_MS);
    expect(h.camera.clocking.rowsShifted).to.equal(10);
    expect(await h.flag()).to.equal('OK 1 EXPOSING');
    await h.clock.advance(2000 + MOVE_DELAY_MS);
    expect(await h.send('instrument.get_focus')).to.equal('OK 160.0');
    expect(h.camera.clocking.rowsShifted).to.equal(30);
    expect(await h.runToEnd(reply)).to.equal('OK');
    expect(h.readout.requests).to.have.length(1);
    expect(existsSync(join(h.folder, 'focus.0001.fits'))).to.equal(true);
    expect(await h.send('instrument.get_focus')).to.equal('OK 100.0');
    expect([card('OBJECT'), card('IMAGETYP'), card('EXPTIME')]).to.deep.equal(['Focus', 'object', fitsFloat(2)]);
    expect([card('FOCSTART'), card('FOCSTEP'), card('FOCSHIFT'), card('FOCSTEPS')]).to.deep.equal(['100.0', fitsFloat(30), 10, 3]);
  });

  it("takes the next free number rather than replace a focus image already there (another camera's)", async () => {
    writeFileSync(join(h.folder, 'focus.0001.fits'), 'not ours');
    expect(await h.runToEnd(h.send('focus.run 0.5 1'))).to.equal('OK');
    const written = h.readout.requests.at(-1)!;
    expect([written.filename, written.overwrite]).to.deep.equal([join(h.folder, 'focus.0002.fits'), false]);
    expect(readFileSync(join(h.folder, 'focus.0001.fits'), 'utf8')).to.equal('not ours');
  });

  it("changes none of the camera's settings but the exposure time (azcam), and leaves its keywords out of the next image", async () => {
    await h.send('set_par imagetype flat');
    await h.send('set_image_title "dome flat"');
    expect(await h.runToEnd(h.send('focus.run 0.5 1'))).to.equal('OK');
    expect(await h.send('get_par imageroot')).to.equal('OK itl.');
    expect(await h.send('get_par imageoverwrite')).to.equal('OK 0');
    expect(await h.send('get_image_type')).to.equal('OK flat');
    expect(await h.send('get_image_title')).to.equal('OK dome flat');
    expect(await h.send('get_exposuretime')).to.equal('OK 0.5');
    expect(await h.send('exposure.get_keywords')).not.to.include('FOCSTART');
    expect(await h.runToEnd(h.send('expose 0.1'))).to.equal('OK');
    expect(card('FOCSTART')).to.equal(undefined);
    expect(existsSync(join(h.folder, 'itl.0002.fits'))).to.equal(true); // focus.0001 took number 1
  });

  it("reports its own title and type in get_status while it runs (the camera's unchanged), the camera's once it has ended", async () => {
    h.readout.autoComplete = false;
    await h.send('set_par imagetype flat');
    await h.send('set_image_title "dome flat"');
    const focusImage = { imagetitle: 'Focus', imagetype: 'object' };
    const { reply } = await focusRunFor('1 2 30 10', 500);
    expect(await h.status()).to.include({ exposurestate: 'EXPOSING', ...focusImage });
    await h.clock.advance(500);
    expect(await h.status()).to.include({ exposurestate: 'SETUP', ...focusImage });
    expect([await h.send('get_par imagetitle'), await h.send('get_par imagetype')]).to.deep.equal(['OK dome flat', 'OK flat']);
    await h.clock.advance(MOVE_DELAY_MS + 1000);
    const read = await h.readout.nextRead();
    expect(await h.status()).to.include({ exposurestate: 'READOUT', ...focusImage });
    read.complete();
    expect(await reply).to.equal('OK');
    expect(await h.status()).to.include({ exposurestate: 'NONE', imagetitle: 'dome flat', imagetype: 'flat' });
  });

  it('does not wait for a focus that did not move', async () => {
    const reply = h.send('focus.run 1 4 0 5');
    await h.clock.timerSet(); // the first integration (the run first looks on disk for a file of its name)
    const integrating = h.clock.now();
    expect(await h.runToEnd(reply)).to.equal('OK');
    expect(h.clock.now() - integrating).to.be.below(4 * 1000 + MOVE_DELAY_MS);
    expect(h.camera.clocking.rowsShifted).to.equal(20);
  });

  it('takes the settings of set_pars from then on, whatever run is given', async () => {
    expect(await h.send('focus.set_pars 0.5 2 5 3')).to.equal('OK');
    expect(await h.runToEnd(h.send('focus.run 9 9 9 9'))).to.equal('OK');
    expect([card('EXPTIME'), card('FOCSTEP'), card('FOCSHIFT'), card('FOCSTEPS')]).to.deep.equal([fitsFloat(0.5), fitsFloat(5), 3, 2]);
    expect(h.camera.clocking.rowsShifted).to.equal(6);
  });

  describe('abort', () => {
    let released: number[];

    beforeEach(async () => {
      await h.send('instrument.set_focus 100');
      released = focusAtRelease();
    });

    async function expectAborted(reply: Promise<string>): Promise<void> {
      expect(await reply).to.equal('OK');
      expect(released, 'the focus when the camera was freed').to.deep.equal([100]);
      expect(h.camera.lock.isHeld).to.equal(false);
      expect(h.clock.pendingTimers).to.equal(0);
      expect(await h.send('instrument.get_focus')).to.equal('OK 100.0');
      expect(await h.status()).to.include({ message: 'aborted', exposurestate: 'NONE' });
      expect(existsSync(join(h.folder, 'focus.0001.fits'))).to.equal(false);
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 1');
    }

    const beforeReadout = [
      { when: 'while the focus settles: the detector is not shifted', ms: 1000, flag: 'OK 8 SETUP', rowsShifted: 0 },
      { when: 'during a later integration', ms: 1000 + MOVE_DELAY_MS + 500, flag: 'OK 1 EXPOSING', rowsShifted: 10 },
    ];
    for (const { when, ms, flag, rowsShifted } of beforeReadout) {
      it(`${when}; nothing is read out`, async () => {
        const { reply } = await focusRunFor('1 3 30 10', ms);
        expect(await h.flag()).to.equal(flag);
        expect(await h.send('focus.abort')).to.equal('OK');
        await expectAborted(reply);
        expect(h.camera.clocking.rowsShifted).to.equal(rowsShifted);
        expect(h.readout.requests).to.have.length(0);
      });
    }

    it('during the readout: the readout is told to stop, no file is written (as for expose)', async () => {
      h.readout.autoComplete = false;
      const { reply } = await focusRunFor('1 2 30 10', 2000 + MOVE_DELAY_MS);
      const read = await h.readout.nextRead();
      expect(await h.flag()).to.equal('OK 7 READOUT');
      expect(await h.send('focus.abort')).to.equal('OK');
      expect(read.progress.signal.aborted).to.equal(true);
      await expectAborted(reply);
    });
  });

  describe('a stop while the focus settles', () => {
    const stops: Record<string, () => Promise<unknown>> = {
      start_readout: () => h.send('exposure.start_readout'),
      'a server stop': async () => h.camera.exposures.endEarly(),
    };
    for (const [name, stop] of Object.entries(stops)) {
      it(`${name}: reads the image out at once, with no further shift or integration, the focus back at its start`, async () => {
        const { reply } = await focusRunFor('1 3 30 10', 1000);
        await stop();
        await h.settle();
        expect(h.readout.requests).to.have.length(1);
        expect(await reply).to.equal('OK');
        expect(h.clock.pendingTimers).to.equal(0);
        expect(h.camera.clocking.rowsShifted).to.equal(0);
        expect(await h.send('instrument.get_focus')).to.equal('OK 0.0');
        expect(card('EXPTIME')).to.deep.equal(fitsFloat(1));
        expect(existsSync(join(h.folder, 'focus.0001.fits'))).to.equal(true);
      });
    }
  });

  describe("other clients, once the camera is free (the focus image's readout handed off)", () => {
    const other = fakeSession('client_2');
    const sendAsOther = (line: string): Promise<string> => h.send(line, other);

    beforeEach(async () => {
      h.readout.autoComplete = false;
      await h.send('instrument.set_focus 100');
      await h.send('set_par imagetype flat');
      await h.send('set_image_title "dome flat"');
    });

    /** Runs a focus image to its readout and hands the readout off, as the pool does; returns the focus run's reply. */
    async function focusToHandOff(): Promise<{ reply: Promise<string>; complete(): void }> {
      const { reply } = await focusRunFor('1 2 30 10', 2000 + MOVE_DELAY_MS);
      const read = await h.readout.nextRead();
      read.progress.handedOff();
      await h.settle();
      return { reply, complete: () => read.complete() };
    }

    it('expose with their own settings, at the focus the run started from', async () => {
      const released = focusAtRelease();
      const focus = await focusToHandOff();
      expect(released).to.deep.equal([100]);
      expect(await sendAsOther('instrument.get_focus')).to.equal('OK 100.0');
      const exposed = sendAsOther('expose 0.5');
      await h.clock.timerSet();
      await h.clock.advance(500);
      const read = await h.readout.nextRead();
      expect([read.request.filename, read.request.overwrite]).to.deep.equal([join(h.folder, 'itl.0002.fits'), false]);
      expect([card('OBJECT', read.request), card('IMAGETYP', read.request)]).to.deep.equal(['dome flat', 'flat']);
      focus.complete();
      expect(await focus.reply).to.equal('OK');
      expect(await sendAsOther('instrument.get_focus')).to.equal('OK 100.0');
      read.complete();
      expect(await exposed).to.equal('OK');
    });

    it('keep the settings and the focus they set: the run puts nothing back', async () => {
      const focus = await focusToHandOff();
      expect(await sendAsOther('set_par imagetitle later')).to.equal('OK');
      expect(await sendAsOther('instrument.set_focus 50')).to.equal('OK');
      focus.complete();
      expect(await focus.reply).to.equal('OK');
      expect(await h.send('get_image_title')).to.equal('OK later');
      expect(await h.send('instrument.get_focus')).to.equal('OK 50.0');
    });

    it('keep what they set during the run, too', async () => {
      const { reply } = await focusRunFor('1 2 30 10', 500);
      expect(await sendAsOther('set_par imageroot mine.')).to.equal('OK');
      expect(await sendAsOther('set_par imageoverwrite 1')).to.equal('OK');
      await h.clock.advance(1500 + MOVE_DELAY_MS);
      (await h.readout.nextRead()).complete();
      expect(await reply).to.equal('OK');
      expect(await h.send('get_par imageroot')).to.equal('OK mine.');
      expect(await h.send('get_par imageoverwrite')).to.equal('OK 1');
      expect(existsSync(join(h.folder, 'focus.0001.fits'))).to.equal(true);
    });

    it('never find the focus image settings saved: the parameter file is not told them', async () => {
      const saved: unknown[] = [];
      h.camera.parameters.onChange(({ imageroot, imageoverwrite, imagetitle, imagetype }) => saved.push([imageroot, imageoverwrite, imagetitle, imagetype]));
      const focus = await focusToHandOff();
      focus.complete();
      expect(await focus.reply).to.equal('OK');
      expect(saved).not.to.deep.include(['focus.', true, 'Focus', 'object']);
      for (const values of saved) expect(values).to.deep.equal(['itl.', false, 'dome flat', 'flat']);
      expect(saved).not.to.have.length(0); // the exposure time, and the sequence number once the camera is free
    });
  });

  it('holds the camera: exposures and focus moves are refused meanwhile, status is answered', async () => {
    const reply = h.send('focus.run 1 2');
    await h.clock.timerSet();
    expect(await h.send('expose 1')).to.equal('ERROR exposure in progress');
    expect(await h.send('focus.run')).to.equal('ERROR exposure in progress');
    expect(await h.send('instrument.set_focus 5')).to.equal('ERROR exposure in progress');
    expect(await h.send('exposure.get_exposureflag')).to.equal('OK 1 EXPOSING');
    expect(await h.runToEnd(reply)).to.equal('OK');
  });

  it('refuses a zero exposure time and no exposures, as azcam does', async () => {
    expect(await h.send('focus.run 0')).to.equal('ERROR do not focus with zero exposure time: 0 (at least 0.001 s)');
    expect(await h.send('focus.set_pars 1 0')).to.equal('ERROR invalid number of exposures: 0 (at least 1)');
    expect(h.readout.requests).to.have.length(0);
  });

  it("has azcam's api short forms, focus_run taking every argument", async () => {
    expect(await h.send('focus_initalize')).to.equal('OK');
    expect(await h.send('focus_set_pars 1')).to.equal('OK');
    expect(await h.send('focus_run 1')).to.equal('ERROR missing number exposures');
    expect(await h.send('focus_set_pars 0.2 1')).to.equal('OK');
    expect(await h.runToEnd(h.send('focus_run 1 1 1 1'))).to.equal('OK');
    expect(card('EXPTIME')).to.deep.equal(fitsFloat(0.2));
    expect(await h.send('focus_abort')).to.equal('OK');
  });

  it("answers every line azcam_console's focus tool sends, as it formats them", async () => {
    expect(await h.send('focus_initialize')).to.equal('OK');
    expect(await h.send('focus_set_pars 0.5 2 30.0 10')).to.equal('OK');
    expect(await h.runToEnd(h.send('focus_run 1.0 7 30.0 10'))).to.equal('OK');
    expect([card('EXPTIME'), card('FOCSTEP'), card('FOCSHIFT'), card('FOCSTEPS')]).to.deep.equal([fitsFloat(0.5), fitsFloat(30), 10, 2]);
    expect(await h.send('focus_abort')).to.equal('OK');
  });
});
