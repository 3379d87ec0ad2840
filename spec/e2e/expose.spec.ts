/**
 * End to end: `exposure.expose` against the real server (startCameraServer) over TCP, checked on
 * the file it writes by independent readers (astropy, fitsverify, the specs' own FITS reader).
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AzcamClient } from '../../lib/client.js';
import { ampElectronics, SKY_RATE } from '../../lib/readout/simulate.js';
import { astropyPython, fitsverifyPath, readWithAstropy, runFitsverify } from '../support/external-readers.js';
import { isOkReply } from '../../lib/protocol/reply.js';
import { E2E, filesIn, median, pollStatus, primaryHeader, readFitsFile, waitForState } from './support.js';
import { requireOrSkip } from '../support/requirements.js';

interface ExtensionSummary {
  name: string;
  shape: [number, number];
  dtype: string;
  /** Median of BIASSEC. */
  bias: number;
  /** Median of DATASEC. */
  data: number;
}

interface MefSummary {
  hdus: number;
  primary: Record<string, unknown>;
  extensions: ExtensionSummary[];
}

/** What astropy makes of a MEF file: HDU count, primary keywords, each extension's shape and levels. */
const MEF_SUMMARY = `
def section(ext, key):
    x, y = ext.header[key].strip('[]').split(',')
    x0, x1 = (int(v) for v in x.split(':'))
    y0, y1 = (int(v) for v in y.split(':'))
    return ext.data[y0 - 1:y1, x0 - 1:x1]

with fits.open(path) as hdul:
    result = {
        'hdus': len(hdul),
        'primary': {k: hdul[0].header.get(k) for k in ('EXPTIME', 'IMAGETYP', 'OBJECT', 'DATE-OBS', 'NEXTEND')},
        'extensions': [
            {
                'name': ext.header['EXTNAME'],
                'shape': list(ext.data.shape),
                'dtype': str(ext.data.dtype),
                'bias': float(np.median(section(ext, 'BIASSEC'))),
                'data': float(np.median(section(ext, 'DATASEC'))),
            }
            for ext in hdul[1:]
        ],
    }
`;

/** The FITS DATE-OBS (UTC, no zone letter) as epoch milliseconds. */
function dateObs(value: unknown): number {
  expect(value).to.be.a('string').and.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  return Date.parse(`${String(value)}Z`);
}

async function expectFitsverifyClean(path: string): Promise<void> {
  if (!fitsverifyPath()) return;
  const report = await runFitsverify(path);
  expect(report.errors, report.output).to.equal(0);
}

describe('e2e: exposure.expose writes a FITS file', function () {
  this.timeout(30000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  describe('sta2k (one amp)', () => {
    let port: number;
    let dataDir: string;
    let client: AzcamClient;

    beforeEach(async () => {
      ({ port, dataDir } = await e2e.start({ detector: 'sta2k', workers: 2 }));
      client = await e2e.connect(port);
    });

    it('writes imagefolder/imageroot + 4-digit sequence + .fits, with the exposure header, and advances the sequence', async () => {
      expect(await client.raw('get_par imagefolder')).to.equal(`OK ${dataDir}`);
      expect(await client.raw('exposure.get_filename')).to.equal(`OK ${join(dataDir, 'itl.0001.fits')}`);
      const before = Date.now();
      expect(await client.raw('exposure.expose 0.1 object "test"')).to.equal('OK');
      const after = Date.now();

      const file = join(dataDir, 'itl.0001.fits');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']); // and no temp file
      const header = primaryHeader(file);
      expect(header.get('EXPTIME')).to.equal(0.1);
      expect(header.get('IMAGETYP')).to.equal('object');
      expect(header.get('OBJECT')).to.equal('test');
      expect(header.get('NEXTEND')).to.equal(1);
      const started = dateObs(header.get('DATE-OBS'));
      expect(started).to.be.within(before - 1, after);

      expect(await client.raw('get_par imagesequencenumber')).to.equal('OK 2');
      expect(await client.raw('exposure.get_filename')).to.equal(`OK ${join(dataDir, 'itl.0002.fits')}`);
      expect(await client.raw('exposure.expose 0.1 flat "second"')).to.equal('OK');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits', 'itl.0002.fits']);
      expect(primaryHeader(join(dataDir, 'itl.0002.fits')).get('OBJECT')).to.equal('second');
      expect(primaryHeader(join(dataDir, 'itl.0002.fits')).get('IMAGETYP')).to.equal('flat');
      expect(await client.raw('get_par imagesequencenumber')).to.equal('OK 3');
    });

    it('gives a file astropy opens with one 2048-row x 2084-column extension at the simulated bias, and fitsverify passes', async function () {
      expect(await client.raw('exposure.expose 0.1 object "test"')).to.equal('OK');
      const file = join(dataDir, 'itl.0001.fits');
      await expectFitsverifyClean(file);

      // The specs' own reader: shape, and the level of the overscan (last 32 columns).
      const [primary, image] = readFitsFile(file);
      expect(primary.cards.get('NAXIS')).to.equal(0);
      expect([image.width, image.height, image.bitpix]).to.deep.equal([4 + 2048 + 32, 2048, 16]);
      const overscan: number[] = [];
      for (let row = 0; row < image.height; row += 16) {
        for (let col = image.width - 32; col < image.width; col++) overscan.push(image.pixels[row * image.width + col]);
      }
      expect(median(overscan)).to.be.closeTo(ampElectronics(0).bias, 2);

      requireOrSkip(this, astropyPython(), 'astropy');
      const summary = await readWithAstropy<MefSummary>(file, MEF_SUMMARY);
      expect(summary.hdus).to.equal(2);
      expect(summary.primary).to.include({ EXPTIME: 0.1, IMAGETYP: 'object', OBJECT: 'test', NEXTEND: 1 });
      const [ext] = summary.extensions;
      expect(ext).to.include({ name: 'im1', dtype: 'uint16' });
      expect(ext.shape).to.deep.equal([2048, 2084]);
      expect(ext.bias).to.be.closeTo(ampElectronics(0).bias, 2);
      // sky 40 ADU/s for 0.1 s, give or take vignetting and noise
      expect(ext.data - ext.bias).to.be.closeTo(SKY_RATE * 0.1, 2);
    });

    it("takes azcam-console's Fe55 tester's image type: the shutter opens, the frame is lit, IMAGETYP is fe55", async () => {
      expect(await client.raw('set_par imagetype fe55')).to.equal('OK');
      expect(await client.raw('exposure.expose 1 fe55 "Fe55 image"')).to.equal('OK');
      const [primary, image] = readFitsFile(join(dataDir, 'itl.0001.fits'));
      expect(primary!.cards.get('IMAGETYP')).to.equal('fe55');
      expect(primary!.cards.get('OBJECT')).to.equal('Fe55 image');
      const [data, overscan]: number[][] = [[], []];
      for (let row = 0; row < image.height; row += 16) {
        for (let col = 0; col < 32; col++) {
          data.push(image.pixels[row * image.width + image.width / 2 + col]);
          overscan.push(image.pixels[row * image.width + image.width - 32 + col]);
        }
      }
      expect(median(data) - median(overscan)).to.be.closeTo(SKY_RATE * 1, 5);
    });

    it("names files as azcam's get_filename and set_filename do: autoname, two dots made one, root up to the first dot", async () => {
      expect(await client.raw('set_par imageautoname 1')).to.equal('OK');
      expect(await client.raw('exposure.expose 0.1 Flat "auto named"')).to.equal('OK');
      expect(await client.raw('set_par imageautoname 0')).to.equal('OK');
      expect(await client.raw('set_par imageincludesequencenumber 0')).to.equal('OK');
      expect(await client.raw('exposure.get_filename')).to.equal(`OK ${join(dataDir, 'itl.fits')}`);
      expect(await client.raw(`exposure.set_filename ${join(dataDir, 'bias.0005.fits')}`)).to.equal('OK');
      expect(await client.raw('get_par imageincludesequencenumber')).to.equal('OK 0');
      expect(await client.raw('exposure.expose 0 zero')).to.equal('OK');
      expect(filesIn(dataDir)).to.deep.equal(['bias.fits', 'itl.FLAT.0001.fits']);
      expect(primaryHeader(join(dataDir, 'itl.FLAT.0001.fits')).get('IMAGETYP')).to.equal('flat');
    });

    it('writes the standard keywords a client sets with the types FITS fixes, and fitsverify passes', async function () {
      const keywords = ['OBSERVER 42', 'EQUINOX 2000', 'RADESYS ICRS', 'DATE-BEG 2025-01-02', 'MJD-AVG 60000', 'TELESCOP 90'];
      for (const keyword of keywords) expect(await client.raw(`exposure.set_keyword ${keyword}`), keyword).to.equal('OK');
      expect(await client.raw('exposure.expose 0 zero')).to.equal('OK');
      const header = primaryHeader(join(dataDir, 'itl.0001.fits'));
      expect([header.get('OBSERVER'), header.get('EQUINOX'), header.get('RADESYS'), header.get('TELESCOP')]).to.deep.equal(['42', 2000, 'ICRS', '90']);
      if (!fitsverifyPath()) this.skip();
      const report = await runFitsverify(join(dataDir, 'itl.0001.fits'));
      expect([report.errors, report.warnings], report.output).to.deep.equal([0, 0]);
    });

    it('writes the times, calibration and a 90-character title a pipeline needs, on a binned ROI frame (astropy, fitsverify)', async function () {
      requireOrSkip(this, astropyPython(), 'astropy');
      const title = `${'Abell 2199 after the rain, r band, focus run 12 of 20 '.repeat(2)}`.slice(0, 90);
      expect(await client.raw('exposure.set_roi 101 900 51 650 2 2')).to.equal('OK');
      expect(await client.raw(`exposure.set_image_title "${title}"`)).to.equal('OK');
      const before = Date.now();
      expect(await client.raw('exposure.expose 0.3 object')).to.equal('OK');
      const after = Date.now();
      const file = join(dataDir, 'itl.0001.fits');
      const header = await readWithAstropy<Record<string, string | number>>(
        file,
        `
        from astropy.time import Time
        with fits.open(path) as hdul:
            hdul.verify('exception')
            p, e = hdul[0].header, hdul[1].header
            result = {k: p[k] for k in ('OBJECT', 'DATE-OBS', 'DATE-END', 'DATE', 'TIMESYS', 'UTC-OBS', 'TIME-OBS', 'MJD-OBS', 'EXPTIME', 'EXPREQ', 'DARKTIME', 'CAMTEMP', 'DEWTEMP', 'TEMPUNIT')}
            result.update({k: e[k] for k in ('BUNIT', 'GAIN', 'RDNOISE', 'SATURATE', 'CCDNAME', 'AMPNAME', 'LTV1', 'LTV2', 'LTM1_1', 'LTM2_2')})
            result['mjd_of_date_obs'] = Time(p['DATE-OBS'], scale='utc').mjd
        `,
      );
      expect(header['OBJECT']).to.equal(title);
      const start = dateObs(header['DATE-OBS']);
      const end = dateObs(header['DATE-END']);
      expect(start).to.be.within(before - 1, after);
      expect(end - start).to.be.at.least(299); // a timer may fire a millisecond early by Date.now()
      expect(header['DARKTIME']).to.equal((end - start) / 1000);
      expect(header['DATE']).to.equal(header['DATE-END']);
      expect(header['UTC-OBS']).to.equal(String(header['DATE-OBS']).slice(11));
      expect(header['TIME-OBS']).to.equal(header['UTC-OBS']);
      expect(header['MJD-OBS']).to.be.closeTo(Number(header['mjd_of_date_obs']), 1e-8); // 1 ms
      expect(header).to.include({ TIMESYS: 'UTC', EXPTIME: 0.3, EXPREQ: 0.3, TEMPUNIT: 'C', BUNIT: 'ADU', GAIN: 1, SATURATE: 65535 });
      expect(header).to.include({ CCDNAME: 'ccd1', AMPNAME: 'amp1', LTM1_1: 0.5, LTM2_2: 0.5 });
      // Image column 3 (after 4 prescan columns binned to 2) bins CCD columns 101-102, centre 101.5.
      expect([header['LTV1'], header['LTV2']]).to.deep.equal([3 - 101.5 / 2, 1 - 51.5 / 2]);
      expect(header['CAMTEMP']).to.be.within(-115, -100);
      expect(header['RDNOISE']).to.equal(ampElectronics(0).readNoise);
      await expectFitsverifyClean(file);
      expect((await runFitsverify(file)).warnings).to.equal(0);
    });

    it('with imageformat assembled and biassubtraction row, writes one float32 image with the bias removed', async function () {
      expect(await client.raw('set_par imageformat assembled')).to.equal('OK');
      expect(await client.raw('set_par biassubtraction row')).to.equal('OK');
      expect(await client.raw('exposure.expose 0 zero "assembled bias"')).to.equal('OK');
      const file = join(dataDir, 'itl.0001.fits');
      await expectFitsverifyClean(file);

      const hdus = readFitsFile(file);
      expect(hdus).to.have.length(1);
      const [image] = hdus;
      expect([image.width, image.height, image.bitpix]).to.deep.equal([2048, 2048, -32]);
      expect(image.cards.get('OBJECT')).to.equal('assembled bias');
      expect(image.cards.get('IMAGETYP')).to.equal('zero');
      expect(image.cards.get('BIASSUB')).to.equal('row');
      expect(image.cards.has('XTENSION')).to.equal(false);
      expect(Math.abs(median(image.pixels.subarray(0, 200_000)))).to.be.below(1);

      requireOrSkip(this, astropyPython(), 'astropy');
      const summary = await readWithAstropy<{ hdus: number; shape: number[]; dtype: string; median: number }>(
        file,
        `
        with fits.open(path) as hdul:
            result = {'hdus': len(hdul), 'shape': list(hdul[0].data.shape), 'dtype': str(hdul[0].data.dtype), 'median': float(np.median(hdul[0].data))}
        `,
      );
      expect(summary).to.deep.include({ hdus: 1, shape: [2048, 2048], dtype: '>f4' });
      expect(Math.abs(summary.median)).to.be.below(1);
    });

    it('expose1 replies at once; get_status goes EXPOSING → READOUT (→ WRITING) → NONE and pixels remaining count down', async () => {
      const file = join(dataDir, 'itl.0001.fits');
      expect(await client.raw('exposure.expose1 0.2 object "polled"')).to.equal('OK');
      // Status and pixels pipelined: the pixel count is read just after the state on the server.
      const samples: { state: string; progress: number; pixels: number }[] = [];
      const deadline = Date.now() + 20000;
      for (;;) {
        const [status, pixels] = await Promise.all([
          client.command('exposure.get_status') as Promise<{ exposurestate: string; progressbar: number; filename: string }>,
          client.command('exposure.get_pixels_remaining'),
        ]);
        expect(status.filename).to.equal(file);
        samples.push({ state: status.exposurestate, progress: status.progressbar, pixels: Number(pixels) });
        if (status.exposurestate === 'NONE') break;
        expect(Date.now()).to.be.below(deadline);
      }
      const states = samples.map((s) => s.state).filter((state, i, all) => state !== all[i - 1]);
      expect(states[0]).to.equal('EXPOSING');
      expect(states).to.include('READOUT');
      // WRITING (the worker's write, a few ms on a fast disk) may fall between two polls; when
      // seen it is in order. The exposure's reading of the worker's flag is unit-tested.
      expect(states.at(-1)).to.equal('NONE');
      const order = ['EXPOSING', 'READOUT', 'WRITING', 'NONE'];
      expect(states.map((state) => order.indexOf(state))).to.deep.equal([...states.map((state) => order.indexOf(state))].sort());

      const pixels = samples.map((s) => s.pixels);
      expect(pixels[0]).to.equal(2048 * 2048); // the whole image to read
      pixels.forEach((count, i) => expect(count, `sample ${i}: ${pixels.slice(Math.max(0, i - 2), i + 1).join(', ')}`).to.be.at.most(pixels[i - 1] ?? count));
      const duringReadout = samples.filter((s) => s.state === 'READOUT').map((s) => s.pixels);
      expect(new Set(duringReadout).size, 'distinct pixel counts during READOUT').to.be.above(1);
      expect(pixels.at(-1)).to.equal(0);
      const readoutProgress = samples.filter((s) => s.state === 'READOUT').map((s) => s.progress);
      expect(readoutProgress).to.deep.equal([...readoutProgress].sort((a, b) => a - b));

      expect(existsSync(file)).to.equal(true);
      expect(primaryHeader(file).get('OBJECT')).to.equal('polled');
      expect(await client.raw('exposure.get_exposureflag')).to.equal('OK 0 NONE');
    });
  });

  describe('itl4k (the default 4096 x 4096, 16 amps)', () => {
    it('exposure.expose 1 object "test" writes a 16-extension MEF file that astropy reads with the right shapes, bias and header', async function () {
      const { port, dataDir } = await e2e.start({ detector: 'itl4k', workers: 2 });
      const client = await e2e.connect(port);
      expect(await client.raw('exposure.get_roi')).to.equal('OK 1 4096 1 4096 1 1');
      const before = Date.now();
      expect(await client.raw('exposure.expose 1 object "test"')).to.equal('OK');
      const file = join(dataDir, 'itl.0001.fits');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
      await expectFitsverifyClean(file);
      const header = primaryHeader(file);
      expect(header.get('NEXTEND')).to.equal(16);
      expect(header.get('DETSIZE')).to.equal('[1:4096,1:4096]');
      expect(dateObs(header.get('DATE-OBS'))).to.be.within(before - 1, Date.now());

      requireOrSkip(this, astropyPython(), 'astropy');
      const summary = await readWithAstropy<MefSummary>(file, MEF_SUMMARY);
      expect(summary.hdus).to.equal(17);
      expect(summary.primary).to.include({ EXPTIME: 1, IMAGETYP: 'object', OBJECT: 'test', NEXTEND: 16 });
      expect(summary.extensions.map((ext) => ext.name)).to.deep.equal(Array.from({ length: 16 }, (_, i) => `im${i + 1}`));
      summary.extensions.forEach((ext, i) => {
        expect(ext.shape, ext.name).to.deep.equal([2048 + 16, 3 + 512 + 32]);
        expect(ext.dtype).to.equal('uint16');
        expect(ext.bias, `${ext.name} bias`).to.be.closeTo(ampElectronics(i).bias, 2);
        expect(ext.data - ext.bias, `${ext.name} sky`).to.be.within(0.9 * SKY_RATE, 1.1 * SKY_RATE);
      });
    });

    it('answers a client polling tempcon.get_temperatures throughout a 4k x 4k 16-amp readout', async () => {
      const { port, dataDir } = await e2e.start({ detector: 'itl4k', workers: 1 });
      const [exposer, poller, monitor] = [await e2e.connect(port), await e2e.connect(port), await e2e.connect(port)];
      let done = false;
      const replies: string[] = [];
      let maxGap = 0;
      let readoutReplies = 0;
      const polling = (async () => {
        let last = performance.now();
        while (!done) {
          replies.push(await poller.raw('tempcon.get_temperatures'));
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
        }
      })();
      const exposing = exposer.raw('exposure.expose 0.1 object "polled"');
      // Count the replies that came while the 4k frame was being read out.
      await waitForState(monitor, 'READOUT');
      const atReadout = replies.length;
      await pollStatus(monitor, (s) => s.exposurestate !== 'READOUT');
      readoutReplies = replies.length - atReadout;
      expect(await exposing).to.equal('OK');
      done = true;
      await polling;

      console.log(`      temperature polling: ${replies.length} replies, ${readoutReplies} during READOUT, max gap ${maxGap.toFixed(1)} ms`);
      expect(replies.every((line) => /^OK -?\d+(\.\d+)? -?\d+(\.\d+)? -?\d+(\.\d+)?$/.test(line)), replies.find((line) => !isOkReply(line))).to.equal(true);
      expect(readoutReplies).to.be.above(0);
      expect(existsSync(join(dataDir, 'itl.0001.fits'))).to.equal(true);
    });
  });
});
