import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerBusyError } from '../../lib/errors.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { CameraHarness } from './harness.js';
import { cardValue } from '../support/card-value.js';


describe('exposure tool: the exposure state machine', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(() => h.cleanup());

  describe('a complete exposure', () => {
    it('goes SETUP → EXPOSING → READOUT → WRITING → NONE, and expose replies when the file is written', async () => {
      const reply = h.send('exposure.expose 2');
      expect(await h.flag()).to.equal('OK 8 SETUP');
      await h.clock.timerSet();
      expect(await h.flag()).to.equal('OK 1 EXPOSING');
      const read = await h.toReadout();
      expect(await h.flag()).to.equal('OK 7 READOUT');
      read.writing();
      expect(await h.flag()).to.equal('OK 9 WRITING');
      read.complete();
      expect(await reply).to.equal('OK');
      expect(await h.flag()).to.equal('OK 0 NONE');
      expect(existsSync(join(h.folder, 'itl.0001.fits'))).to.equal(true);
    });

    it('counts the exposure time down, with the progress bar and time left in get_status', async () => {
      await h.startExposure('2');
      expect(await h.send('exposure.get_exposuretime_remaining')).to.equal('OK 2.0');
      await h.clock.advance(500);
      expect(await h.send('exposure.get_exposuretime_remaining')).to.equal('OK 1.5');
      expect(await h.status()).to.include({
        message: 'EXPOSING',
        exposurelabel: '1.5 sec remaining',
        exposurecolor: 'green',
        exposurestate: 'EXPOSING',
        progressbar: 25,
        timeleft: 1.5,
        filename: join(h.folder, 'itl.0001.fits'),
      });
    });

    it("reports the exposure's title and type in get_status", async () => {
      await h.startExposure('1 flat "twilight flat"');
      expect(await h.status()).to.include({ exposurestate: 'EXPOSING', imagetitle: 'twilight flat', imagetype: 'flat' });
    });

    it('counts pixels down during readout, and takes WRITING from the same counter', async () => {
      await h.startExposure('1');
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 2048');
      const read = await h.toReadout();
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 2048');
      let remaining = 3000;
      let writing = false;
      read.progress.trackPixels(() => ({ remaining, total: 4000, writing }));
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 3000');
      remaining = 1000;
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 1000');
      expect(await h.status()).to.include({ exposurestate: 'READOUT', progressbar: 75, timeleft: 0 });
      writing = true;
      expect(await h.flag()).to.equal('OK 9 WRITING');
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 0');
      expect(await h.status()).to.include({ exposurestate: 'WRITING', progressbar: 100 });
      read.complete();
      await h.settle();
      expect(await h.flag()).to.equal('OK 0 NONE');
    });

    it('replies to expose1 as soon as integration begins, and shows the outcome in get_status', async () => {
      await h.startExposure('1');
      expect(await h.flag()).to.equal('OK 1 EXPOSING');
      (await h.toReadout()).complete();
      await h.settle();
      expect(await h.status()).to.include({
        exposurestate: 'NONE',
        progressbar: 0,
        timeleft: 0,
        filename: join(h.folder, 'itl.0001.fits'),
        message: '',
        exposurecolor: 'transparent',
      });
    });

    it('moves the sequence number on after each exposure, so a series gets 0001, 0002, ...', async () => {
      h.readout.autoComplete = true;
      for (const expected of ['itl.0001.fits', 'itl.0002.fits', 'itl.0003.fits']) {
        expect(await h.send('exposure.get_filename')).to.equal(`OK ${join(h.folder, expected)}`);
        const reply = h.send('exposure.expose 0');
        await h.clock.timerSet();
        await h.clock.advance(0);
        expect(await reply).to.equal('OK');
      }
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 4');
      expect(h.readout.requests.map((request) => request.filename)).to.deep.equal(
        ['itl.0001.fits', 'itl.0002.fits', 'itl.0003.fits'].map((name) => join(h.folder, name)),
      );
    });

    it('keeps the sequence number when auto-increment is off', async () => {
      await h.send('set_par imageautoincrementsequencenumber 0');
      await h.send('set_par imageoverwrite 1');
      h.readout.autoComplete = true;
      await h.startExposure('0');
      await h.clock.advance(0);
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 1');
    });

    it('reports the status of an idle camera that has not exposed yet, with azcam\'s 19 keys in its order', async () => {
      const status = await h.status();
      expect(Object.keys(status)).to.deep.equal([
        ...['message', 'exposurelabel', 'exposurecolor', 'exposurestate', 'progressbar', 'camtemp', 'dewtemp', 'filename', 'seqcount', 'seqtotal'],
        ...['timestamp', 'imagetitle', 'imagetype', 'imagetest', 'exposuretime', 'colbin', 'rowbin', 'systemname', 'mode', 'timeleft'],
      ]);
      expect(status).to.include({
        message: '',
        exposurelabel: '',
        exposurecolor: 'transparent',
        exposurestate: 'NONE',
        progressbar: 0,
        camtemp: '-110.0',
        filename: join(h.folder, 'itl.0001.fits'),
        seqcount: 0,
        seqtotal: 0,
        imagetitle: '',
        imagetype: 'object',
        imagetest: 0,
        exposuretime: 1,
        colbin: 1,
        rowbin: 1,
        systemname: 'azcam-sim',
        mode: 'server',
      });
      expect(status['timestamp']).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(await h.flag()).to.equal('OK 0 NONE');
      expect(await h.send('exposure.get_exposuretime_remaining')).to.equal('OK 0.0');
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 0');
    });
  });

  describe('what the readout is asked for', () => {
    it('carries the settings, the ROI, the file name and the header as they were at the start', async () => {
      await h.send('exposure.set_roi 1 32 1 16 2 2');
      await h.send('set_par imageformat assembled');
      await h.send('set_par biassubtraction row');
      await h.startExposure('2.5 flat "M31 field"');
      const read = await h.toReadout();
      const { cards: header, ...request } = read.request;
      expect(request).to.deep.equal({
        camera: 'camera',
        geometry: h.camera.detector,
        roi: { firstCol: 1, lastCol: 32, firstRow: 1, lastRow: 16, colBin: 2, rowBin: 2 },
        simulation: { imageType: 'flat', exposureTime: 2.5, seed: 1, shutter: true },
        processing: { biasSubtraction: 'row', format: 'assembled' },
        filename: join(h.folder, 'itl.0001.fits'),
        overwrite: false,
      });
      expect(cardValue(header, 'OBJECT')).to.equal('M31 field');
      expect(cardValue(header, 'IMAGETYP')).to.equal('flat');
      expect(cardValue(header, 'EXPTIME')).to.deep.equal(fitsFloat(2.5));
      expect(cardValue(header, 'DATE-OBS')).to.equal('2025-01-01T00:00:00.000');
      expect(await h.send('exposure.get_pixels_remaining')).to.equal('OK 128');
    });

    it('keeps the shutter closed for zero and dark frames, and a zero integrates no time', async () => {
      h.readout.autoComplete = true;
      await h.send('set_par imageoverwrite 1');
      await h.startExposure('5 zero');
      await h.clock.advance(0);
      await h.startExposure('5 dark');
      await h.clock.advance(5000);
      const [zero, dark] = h.readout.requests;
      expect(zero!.simulation).to.include({ imageType: 'zero', exposureTime: 0, shutter: false });
      expect(cardValue(zero!.cards, 'EXPTIME')).to.deep.equal(fitsFloat(0));
      expect(dark!.simulation).to.include({ imageType: 'dark', exposureTime: 5, shutter: false });
    });

    it('opens the shutter only while integrating an object frame', async () => {
      await h.startExposure('1 object');
      expect(await h.send('controller.get_shutter')).to.equal('OK 1');
      await h.toReadout();
      expect(await h.send('controller.get_shutter')).to.equal('OK 0');
    });

    it("takes any other image type as a comparison (azcam's begin): shutter open, the frame lit, IMAGETYP lower-cased", async () => {
      await h.startExposure('0.1 Fe55 "Fe55 image"');
      expect(await h.send('controller.get_shutter')).to.equal('OK 1');
      const read = await h.toReadout();
      expect(read.request.simulation).to.include({ imageType: 'fe55', exposureTime: 0.1, shutter: true });
      expect(cardValue(read.request.cards, 'IMAGETYP')).to.equal('fe55');
      expect(cardValue(read.request.cards, 'OBJECT')).to.equal('Fe55 image');
      expect(await h.send('exposure.get_image_type')).to.equal('OK Fe55');
    });

    it('names the file by its type with imageautoname, and titles it by its type with autotitle', async () => {
      await h.send('set_par imageautoname 1');
      await h.send('set_par autotitle 1');
      await h.startExposure('1 flat "ignored"');
      const read = await h.toReadout();
      expect(read.request.filename).to.equal(join(h.folder, 'itl.FLAT.0001.fits'));
      expect(cardValue(read.request.cards, 'OBJECT')).to.equal('flat');
    });

    it('flushes the detector as it begins while flusharray is on (azcam default 1), not when off', async () => {
      h.readout.autoComplete = true;
      await h.send('set_par imageoverwrite 1');
      expect(await h.send('get_par flusharray')).to.equal('OK 1');
      await h.startExposure('0');
      await h.clock.advance(0);
      expect(h.camera.clocking.flushes).to.equal(1);
      expect(await h.send('set_par flusharray 0')).to.equal('OK');
      await h.startExposure('0');
      await h.clock.advance(0);
      expect(h.camera.clocking.flushes).to.equal(1);
    });

    it('check_image_ready replies 1 once after each image written, else 0', async () => {
      h.readout.autoComplete = true;
      expect(await h.send('exposure.check_image_ready')).to.equal('OK 0');
      expect(await h.runToEnd(h.send('exposure.expose 0'))).to.equal('OK');
      expect(await h.send('exposure.check_image_ready')).to.equal('OK 1');
      expect(await h.send('exposure.check_image_ready')).to.equal('OK 0');
    });

    it('gives each exposure its own seed', async () => {
      h.readout.autoComplete = true;
      await h.startExposure('0');
      await h.clock.advance(0);
      await h.startExposure('0');
      await h.clock.advance(0);
      expect(h.readout.requests.map((request) => request.simulation.seed)).to.deep.equal([1, 2]);
    });

    it('freezes the header: parameter and keyword changes during the exposure reach only the next one', async () => {
      await h.send('exposure.set_keyword OBSERVER Ann');
      await h.startExposure('1 object "first"');
      expect(await h.send('set_par imagetitle second')).to.equal('OK');
      expect(await h.send('set_par exposuretime 7')).to.equal('OK');
      expect(await h.send('exposure.set_keyword OBSERVER Bob')).to.equal('OK');
      expect(await h.send('exposure.set_keyword NEWKEY 1')).to.equal('OK');
      const read = await h.toReadout();
      expect(cardValue(read.request.cards, 'OBJECT')).to.equal('first');
      expect(cardValue(read.request.cards, 'EXPTIME')).to.deep.equal(fitsFloat(1));
      expect(cardValue(read.request.cards, 'OBSERVER')).to.equal('Ann');
      expect(cardValue(read.request.cards, 'NEWKEY')).to.equal(undefined);
      expect(Object.isFrozen(read.request.cards)).to.equal(true);
      expect(Object.isFrozen(read.request.cards[0])).to.equal(true);
    });
  });

  describe('expose arguments', () => {
    it('sets exposure time, image type and title when given, and leaves them when -1 or empty', async () => {
      h.readout.autoComplete = true;
      await h.send('set_par imageoverwrite 1');
      await h.startExposure('3 dark "dark run"');
      await h.clock.advance(3000);
      expect(await h.send('exposure.get_exposuretime')).to.equal('OK 3.0');
      expect(await h.send('get_par imagetype')).to.equal('OK dark');
      expect(await h.send('exposure.get_image_title')).to.equal('OK dark run');
      await h.startExposure('-1 "" ""');
      expect(await h.send('exposure.get_exposuretime')).to.equal('OK 3.0');
      expect(await h.send('get_par imagetype')).to.equal('OK dark');
      expect(await h.send('exposure.get_image_title')).to.equal('OK dark run');
    });

    it('accepts keyword arguments', async () => {
      await h.startExposure('exposure_time=4 image_type=flat');
      expect(h.camera.parameters.get('exposuretime')).to.equal(4);
      expect(h.camera.parameters.get('imagetype')).to.equal('flat');
    });

    it('refuses bad arguments before anything starts', async () => {
      expect(await h.send('exposure.expose abc')).to.equal('ERROR invalid exposure time: abc');
      expect(await h.send('exposure.expose -5')).to.equal('ERROR invalid exposure time: -5 (must be 0 to 86400)');
      expect(await h.send('exposure.expose 1 a/b')).to.equal('ERROR invalid image type: a/b (no path separators allowed)');
      expect(await h.send('exposure.expose1 1 object a b')).to.equal('ERROR too many arguments: expected at most 3, got 4');
      expect(await h.flag()).to.equal('OK 0 NONE');
      expect(h.camera.lock.isHeld).to.equal(false);
      expect(await h.send('exposure.get_exposuretime')).to.equal('OK 1.0');
    });
  });

  describe('one exposure at a time', () => {
    it('refuses a second expose at once, and leaves the settings alone', async () => {
      await h.startExposure('2');
      expect(await h.send('exposure.expose 9 dark')).to.equal('ERROR exposure in progress');
      expect(await h.send('exposure.expose1')).to.equal('ERROR exposure in progress');
      expect(await h.send('exposure.test')).to.equal('ERROR exposure in progress');
      expect(await h.send('exposure.get_exposuretime')).to.equal('OK 2.0');
      expect(await h.send('get_par imagetype')).to.equal('OK object');
    });

    it('is free again once the file is written', async () => {
      await h.startExposure('1');
      (await h.toReadout()).complete();
      await h.settle();
      expect(h.camera.lock.isHeld).to.equal(false);
      await h.startExposure('1');
    });
  });

  describe('abort', () => {
    it('aborts during SETUP', async () => {
      const reply = h.send('exposure.expose1 1');
      expect(await h.send('exposure.abort')).to.equal('OK');
      expect(await reply).to.equal('OK'); // azcam: an aborted expose returns normally
      expect(await h.status()).to.include({ exposurestate: 'NONE', message: 'aborted' });
      expect(h.clock.pendingTimers).to.equal(0);
    });

    it('aborts during EXPOSING: the shutter closes and expose replies OK, as azcam\'s does', async () => {
      const reply = h.send('exposure.expose 10');
      await h.clock.timerSet();
      await h.clock.advance(3000);
      expect(await h.send('exposure.abort')).to.equal('OK');
      expect(await reply).to.equal('OK'); // azcam: an aborted expose returns normally
      expect(await h.status()).to.include({
        exposurestate: 'NONE',
        progressbar: 0,
        timeleft: 0,
        filename: join(h.folder, 'itl.0001.fits'),
        message: 'aborted',
      });
      expect(await h.send('controller.get_shutter')).to.equal('OK 0');
      expect(h.clock.pendingTimers).to.equal(0);
      expect(h.readout.requests).to.have.length(0);
    });

    it('aborts while PAUSED', async () => {
      await h.startExposure('10');
      await h.send('exposure.pause');
      await h.send('exposure.abort');
      await h.settle();
      expect(await h.status()).to.include({ exposurestate: 'NONE', message: 'aborted' });
      expect(h.clock.pendingTimers).to.equal(0);
    });

    for (const phase of ['READOUT', 'WRITING']) {
      it(`aborts during ${phase}: the readout is told to stop, and the camera is free again`, async () => {
        const reply = h.send('exposure.expose 1');
        await h.clock.timerSet();
        const read = await h.toReadout();
        if (phase === 'WRITING') read.writing();
        expect(await h.flag()).to.equal(`OK ${phase === 'READOUT' ? 7 : 9} ${phase}`);
        await h.send('exposure.abort');
        expect(read.progress.signal.aborted).to.equal(true);
        expect(await reply).to.equal('OK'); // azcam: an aborted expose returns normally
        expect(await h.status()).to.include({ exposurestate: 'NONE', message: 'aborted' });
        expect(await h.send('get_par imagesequencenumber')).to.equal('OK 1');
        await h.startExposure('1');
      });
    }

    it('shows ABORT while a readout is still stopping, and the camera stays busy until it has', async () => {
      h.readout.ignoreAbort = true;
      await h.startExposure('1');
      const read = await h.toReadout();
      await h.send('exposure.abort');
      expect(await h.flag()).to.equal('OK 2 ABORT');
      expect(await h.send('exposure.expose1')).to.equal('ERROR exposure in progress');
      read.fail(new Error('stopped'));
      await h.settle();
      expect(await h.status()).to.include({ exposurestate: 'NONE', message: 'aborted' });
      await h.startExposure('1');
    });

    it('does nothing when no exposure is running', async () => {
      expect(await h.send('exposure.abort')).to.equal('OK');
      expect(await h.send('abort')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 0 NONE');
    });
  });

  describe('pause and resume', () => {
    it('stop the integration clock and close the shutter, then carry on where it stopped', async () => {
      await h.startExposure('2');
      await h.clock.advance(500);
      expect(await h.send('exposure.pause')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 6 PAUSED');
      expect(await h.send('controller.get_shutter')).to.equal('OK 0');
      await h.clock.advance(60_000);
      expect(await h.send('exposure.get_exposuretime_remaining')).to.equal('OK 1.5');
      expect(await h.status()).to.include({ exposurestate: 'PAUSED', progressbar: 25, timeleft: 1.5 });
      expect(await h.send('exposure.resume')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 1 EXPOSING');
      expect(await h.send('controller.get_shutter')).to.equal('OK 1');
      await h.clock.advance(1499);
      expect(await h.flag()).to.equal('OK 1 EXPOSING');
      await h.clock.advance(1);
      expect(await h.flag()).to.equal('OK 7 READOUT');
    });

    it('keep the shutter closed on resume for a dark', async () => {
      await h.startExposure('2 dark');
      await h.send('exposure.pause');
      await h.send('exposure.resume');
      expect(await h.send('controller.get_shutter')).to.equal('OK 0');
    });

    it('reply OK and do nothing when there is nothing to pause or resume, as azcam', async () => {
      expect(await h.send('exposure.pause')).to.equal('OK');
      expect(await h.send('exposure.resume')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 0 NONE');
      await h.startExposure('1');
      expect(await h.send('exposure.resume')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 1 EXPOSING');
      await h.toReadout();
      expect(await h.send('exposure.pause')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 7 READOUT');
      expect(await h.send('exposure.pause now')).to.equal('ERROR too many arguments: expected at most 0, got 1');
    });
  });

  describe('ended early (a server stop)', () => {
    it('reads an integrating exposure out now, its header and pixels telling the time integrated', async () => {
      const reply = h.send('exposure.expose 10 object "cut short"');
      await h.clock.timerSet();
      await h.clock.advance(2500);
      h.camera.exposures.endEarly();
      const read = await h.readout.nextRead();
      expect(cardValue(read.request.cards, 'EXPTIME')).to.deep.equal(fitsFloat(2.5));
      expect(read.request.simulation.exposureTime).to.equal(2.5);
      expect(cardValue(read.request.cards, 'OBJECT')).to.equal('cut short');
      read.complete();
      expect(await reply).to.equal('OK');
    });

    it('reads a paused exposure out with the time integrated before the pause', async () => {
      await h.startExposure('3');
      await h.clock.advance(1200);
      await h.send('exposure.pause');
      await h.clock.advance(60_000);
      h.camera.exposures.endEarly();
      const read = await h.readout.nextRead();
      expect(cardValue(read.request.cards, 'EXPTIME')).to.deep.equal(fitsFloat(1.2));
      expect(await h.send('controller.get_shutter')).to.equal('OK 0');
    });

    it('leaves a readout under way as it is, and refuses new exposures', async () => {
      await h.startExposure('1');
      const read = await h.toReadout();
      h.camera.exposures.endEarly();
      expect(cardValue(read.request.cards, 'EXPTIME')).to.deep.equal(fitsFloat(1));
      expect(await h.send('exposure.expose 1')).to.equal('ERROR server shutting down');
      read.complete();
      await h.camera.settled();
      expect(await h.flag()).to.equal('OK 0 NONE');
    });

    it('aborts every exposure still running when told to', async () => {
      const reply = h.send('exposure.expose 1');
      await h.clock.timerSet();
      await h.toReadout();
      h.camera.exposures.abortAll();
      expect(await reply).to.equal('ERROR exposure aborted'); // the server's abort, not a client's: an error
      expect(await h.status()).to.include({ message: 'aborted' });
      await h.camera.settled();
      expect(h.camera.exposures.count).to.equal(0);
    });
  });

  describe('a failed readout', () => {
    it('returns the camera to NONE with the error in the status, and does not move the sequence on', async () => {
      const reply = h.send('exposure.expose 1');
      await h.clock.timerSet();
      (await h.toReadout()).fail(new Error('disk full'));
      expect(await reply).to.equal('ERROR readout failed: disk full');
      expect(await h.status()).to.include({ exposurestate: 'NONE', message: 'readout failed: disk full' });
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 1');
      expect(h.camera.lock.isHeld).to.equal(false);
    });

    it('passes a command error through as it is', async () => {
      const reply = h.send('exposure.expose 1');
      await h.clock.timerSet();
      (await h.toReadout()).fail(new ServerBusyError());
      expect(await reply).to.equal('ERROR server busy');
      expect(await h.status()).to.include({ message: 'server busy' });
    });

    it('clears the message with the next exposure', async () => {
      await h.startExposure('1');
      (await h.toReadout()).fail(new Error('disk full'));
      await h.settle();
      await h.startExposure('1');
      expect(await h.status()).to.include({ message: 'EXPOSING' });
    });
  });

  describe('existing files', () => {
    it('skips sequence numbers whose files exist (after a restart), replacing nothing', async () => {
      writeFileSync(join(h.folder, 'itl.0001.fits'), 'old');
      writeFileSync(join(h.folder, 'itl.0002.fits'), 'old');
      await h.startExposure('1');
      expect((await h.toReadout()).request).to.include({ filename: join(h.folder, 'itl.0003.fits'), overwrite: false });
    });

    it('refuses to overwrite an image unless imageoverwrite is on', async () => {
      await h.send('set_par imageautoincrementsequencenumber 0');
      const existing = join(h.folder, 'itl.0001.fits');
      writeFileSync(existing, 'old');
      expect(await h.send('exposure.expose1 1')).to.equal(`ERROR image file already exists: ${existing}`);
      expect(await h.status()).to.include({ exposurestate: 'NONE', message: `image file already exists: ${existing}` });
      expect(h.camera.lock.isHeld).to.equal(false);
      await h.send('set_par imageoverwrite 1');
      await h.startExposure('1');
      expect((await h.toReadout()).request.overwrite).to.equal(true);
    });
  });

  describe('test exposures', () => {
    it('expose with the shutter closed to test.fits, overwriting it, and change no setting', async () => {
      h.readout.autoComplete = true;
      await h.send('exposure.set_image_title "keep me"');
      for (let i = 0; i < 2; i++) {
        const reply = h.send('exposure.test 0.5');
        await h.clock.timerSet();
        await h.clock.advance(500);
        expect(await reply).to.equal('OK');
      }
      expect(h.readout.requests[1]).to.include({ filename: join(h.folder, 'test.fits'), overwrite: true });
      expect(h.readout.requests[1]!.simulation).to.include({ imageType: 'dark', exposureTime: 0.5, shutter: false });
      expect(cardValue(h.readout.requests[1]!.cards, 'IMAGETYP')).to.equal('dark');
      expect(cardValue(h.readout.requests[1]!.cards, 'OBJECT')).to.equal('test image');
      expect(await h.send('get_par imagesequencenumber')).to.equal('OK 1');
      expect(await h.send('exposure.get_exposuretime')).to.equal('OK 1.0');
      expect(await h.send('exposure.get_image_title')).to.equal('OK keep me');
    });

    it("report azcam's title, their type, time and test flag in get_status while they run, the camera's once they have ended", async () => {
      await h.send('exposure.set_image_title "keep me"');
      const reply = h.send('exposure.test 0.5');
      await h.clock.timerSet();
      expect(await h.status()).to.include({ exposurestate: 'EXPOSING', exposurelabel: '0.5 sec remaining', imagetitle: 'test image', imagetype: 'dark', imagetest: 1, exposuretime: 0.5 });
      await h.clock.advance(500);
      const read = await h.readout.nextRead();
      expect(cardValue(read.request.cards, 'IMAGETYP')).to.equal('dark');
      read.complete();
      expect(await reply).to.equal('OK');
      expect(await h.status()).to.include({ exposurestate: 'NONE', imagetitle: 'keep me', imagetype: 'object', imagetest: 0, exposuretime: 1 });
    });

    it("open the shutter for any shutter but 0, as an object frame, and keep the camera's time for -1", async () => {
      h.readout.autoComplete = true;
      await h.send('exposure.set_image_type flat');
      await h.send('exposure.set_exposuretime 0.25');
      const reply = h.send('exposure.test -1 2');
      await h.clock.timerSet();
      await h.clock.advance(250);
      expect(await reply).to.equal('OK');
      expect(h.readout.requests[0]!.simulation).to.include({ imageType: 'object', exposureTime: 0.25, shutter: true });
      expect(await h.send('exposure.get_image_type')).to.equal('OK flat');
    });

    it('integrate no time unless told', async () => {
      h.readout.autoComplete = true;
      const reply = h.send('exposure.test');
      await h.clock.timerSet();
      await h.clock.advance(0);
      expect(await reply).to.equal('OK');
      expect(await h.send('exposure.test abc')).to.equal('ERROR invalid exposure time: abc');
    });
  });

  describe('reset', () => {
    it('clears the status of the last exposure and closes the shutter', async () => {
      await h.startExposure('1');
      await h.send('exposure.abort');
      await h.settle();
      await h.send('controller.set_shutter 1');
      expect(await h.send('exposure.reset')).to.equal('OK');
      expect(await h.status()).to.include({ exposurestate: 'NONE', message: '', filename: join(h.folder, 'itl.0001.fits') });
      expect(await h.send('controller.get_shutter')).to.equal('OK 0');
    });

    it('frees a camera whose readout never stops', async () => {
      h.readout.ignoreAbort = true;
      const reply = h.send('exposure.expose 1');
      await h.clock.timerSet();
      const stuck = await h.toReadout();
      expect(await h.send('exposure.reset')).to.equal('OK');
      expect(await h.flag()).to.equal('OK 0 NONE');
      await h.startExposure('1');
      stuck.fail(new Error('late'));
      expect(await reply).to.equal('OK'); // azcam: an aborted expose returns normally
      expect(h.camera.lock.isHeld).to.equal(true);
      expect(await h.flag()).to.equal('OK 1 EXPOSING');
    });
  });
});
