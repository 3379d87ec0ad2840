import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, InvalidArgumentError } from '../../lib/errors.js';
import { createReadoutControl, readProgress, requestAbort } from '../../lib/readout/control.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import {
  ampRegions,
  detectorStreamIndex,
  fullRoi,
  makeGeometry,
  rawHeight,
  rawPixelCount,
  rawWidth,
  streamIndex,
} from '../../lib/readout/geometry.js';
import { processReadout, validateRequest } from '../../lib/readout/process.js';
import type { ReadoutRequest } from '../../lib/readout/request.js';
import { Scratch } from '../../lib/readout/scratch.js';
import { ampElectronics } from '../../lib/readout/simulate.js';
import { astropyPython, readWithAstropy } from '../support/external-readers.js';
import { readFits, type ReadHdu } from '../support/read-fits.js';
import { requireOrSkip } from '../support/requirements.js';

// 4 amps of 4 x 3 pixels, 1 prescan, 2 overscan columns, 1 overscan row: raw amp images 7 x 4
const G = makeGeometry({ name: 'tiny', width: 8, height: 6, amps: 4, prescan: 1, overscanCols: 2, overscanRows: 1 });
const ampBias = (a: number): number => 500 + 100 * a;
/** Detector pixel (1-based x, y) carries its position on top of its amp's bias. */
const signal = (x: number, y: number): number => x + 10 * y;

/** A controller stream: every raw pixel its amp's bias, plus signal(x, y) on detector pixels. */
function rawStream(): Uint16Array {
  const raw = new Uint16Array(rawPixelCount(G));
  for (const amp of G.amps) {
    for (let y = 0; y < rawHeight(G); y++) for (let x = 0; x < rawWidth(G); x++) raw[streamIndex(G, amp, x, y)] = ampBias(amp.index);
  }
  for (let y = 0; y < G.height; y++) {
    for (let x = 0; x < G.width; x++) raw[detectorStreamIndex(G, x, y)] += signal(x + 1, y + 1);
  }
  return raw;
}

function request(overrides: Partial<ReadoutRequest> = {}, processing: Partial<ReadoutRequest['processing']> = {}): ReadoutRequest {
  return {
    camera: 'spec',
    geometry: G,
    roi: fullRoi(G),
    simulation: { imageType: 'object', exposureTime: 1, seed: 7 },
    processing: { biasSubtraction: 'none', format: 'mef', ...processing },
    cards: [
      { key: 'OBJECT', value: 'test field' },
      { key: 'EXPTIME', value: fitsFloat(1), comment: 'exposure time (s)' },
      { key: 'DETSIZE', value: 'stale' },
    ],
    raw: rawStream(),
    filename: 'unused.fits',
    overwrite: false,
    ...overrides,
  };
}

const parseSection = (text: unknown): number[] => String(text).match(/\d+/g)!.map(Number);
const pixel = (hdu: ReadHdu, x: number, y: number): number => hdu.pixels[(y - 1) * hdu.width + (x - 1)];

describe('readout/process', () => {
  describe('MEF', () => {
    it('writes a primary header and one uint16 extension per amp, with prescan and overscan', () => {
      const [primary, ...exts] = readFits(processReadout(request()).fits);
      expect(primary.cards.get('NEXTEND')).to.equal(4);
      expect(primary.cards.get('OBJECT')).to.equal('test field');
      expect(primary.cards.get('EXPTIME')).to.equal(1);
      expect(primary.cards.get('DETSIZE')).to.equal('[1:8,1:6]');
      expect(primary.keys.filter((k) => k === 'DETSIZE')).to.have.length(1);
      expect(exts.map((e) => e.cards.get('EXTNAME'))).to.deep.equal(['im1', 'im2', 'im3', 'im4']);
      for (const ext of exts) {
        expect([ext.bitpix, ext.width, ext.height, ext.cards.get('BZERO')]).to.deep.equal([16, 7, 4, 32768]);
      }
    });

    it('puts every amp in detector orientation: DATASEC pixels are the DETSEC pixels, BIASSEC the bias', () => {
      const exts = readFits(processReadout(request()).fits).slice(1);
      exts.forEach((ext, a) => {
        const [dx1, dx2, dy1, dy2] = parseSection(ext.cards.get('DATASEC'));
        const [sx1, , sy1] = parseSection(ext.cards.get('DETSEC'));
        for (let y = dy1; y <= dy2; y++) {
          for (let x = dx1; x <= dx2; x++) {
            expect(pixel(ext, x, y), `im${a + 1} (${x},${y})`).to.equal(ampBias(a) + signal(sx1 + x - dx1, sy1 + y - dy1));
          }
        }
        const [bx1, bx2, by1, by2] = parseSection(ext.cards.get('BIASSEC'));
        for (let y = by1; y <= by2; y++) for (let x = bx1; x <= bx2; x++) expect(pixel(ext, x, y)).to.equal(ampBias(a));
      });
      expect(exts[3].cards.get('AMPSEC')).to.equal('[4:1,3:1]');
      expect(exts[3].cards.get('DETSEC')).to.equal('[5:8,4:6]');
    });

    it('subtracts the overscan bias and trims to float32 data', () => {
      const result = processReadout(request({}, { biasSubtraction: 'row' }));
      const exts = readFits(result.fits).slice(1);
      exts.forEach((ext, a) => {
        expect([ext.bitpix, ext.width, ext.height]).to.deep.equal([-32, 4, 3]);
        expect(ext.cards.get('DATASEC')).to.equal('[1:4,1:3]');
        expect(ext.cards.has('BIASSEC')).to.equal(false);
        const [sx1, , sy1] = parseSection(ext.cards.get('DETSEC'));
        for (let y = 1; y <= 3; y++) for (let x = 1; x <= 4; x++) expect(pixel(ext, x, y)).to.equal(signal(sx1 + x - 1, sy1 + y - 1));
        expect(ext.cards.get('BIASMEAN')).to.equal(ampBias(a));
        expect(ext.cards.get('BIASSUB')).to.equal('row');
      });
      expect(result.stats.map((s) => s.biasLevel)).to.deep.equal([500, 600, 700, 800]);
      // amp 1 holds x 1..4, y 1..3: mean 2.5 + 10 * 2
      expect(result.stats[0]).to.include({ amp: 1, mean: 22.5, pixels: 12, biasNoise: 0 });
    });

    it('cuts to the ROI and bins, leaving out amps outside it', () => {
      const roi = { firstCol: 1, lastCol: 4, firstRow: 1, lastRow: 6, colBin: 2, rowBin: 3 };
      const exts = readFits(processReadout(request({ roi }, { biasSubtraction: 'amp' })).fits).slice(1);
      expect(exts.map((e) => e.cards.get('EXTNAME'))).to.deep.equal(['im1', 'im3']);
      const [im1] = exts;
      expect([im1.width, im1.height, im1.cards.get('CCDSUM')]).to.deep.equal([2, 1, '2 3']);
      // sum of x 1..2, y 1..3 and of x 3..4, y 1..3
      expect([...im1.pixels]).to.deep.equal([3 * 3 + 2 * 60, 3 * 7 + 2 * 60]);
    });
  });

  describe('assembled', () => {
    it('places every amp at its detector position in one float32 image', () => {
      const [hdu, ...rest] = readFits(processReadout(request({}, { biasSubtraction: 'row', format: 'assembled' })).fits);
      expect(rest).to.have.length(0);
      expect([hdu.bitpix, hdu.width, hdu.height]).to.deep.equal([-32, 8, 6]);
      expect(hdu.cards.has('NEXTEND')).to.equal(false);
      expect(hdu.cards.get('DETSEC')).to.equal('[1:8,1:6]');
      for (let y = 1; y <= 6; y++) for (let x = 1; x <= 8; x++) expect(pixel(hdu, x, y)).to.equal(signal(x, y));
    });

    it('keeps raw uint16 values without bias subtraction', () => {
      const [hdu] = readFits(processReadout(request({}, { format: 'assembled' })).fits);
      expect(hdu.bitpix).to.equal(16);
      expect(pixel(hdu, 1, 1)).to.equal(ampBias(0) + signal(1, 1));
      expect(pixel(hdu, 8, 6)).to.equal(ampBias(3) + signal(8, 6));
    });

    it('bins across amp boundaries within the ROI', () => {
      const roi = { firstCol: 2, lastCol: 7, firstRow: 2, lastRow: 5, colBin: 2, rowBin: 2 };
      const [hdu] = readFits(processReadout(request({ roi }, { biasSubtraction: 'row', format: 'assembled' })).fits);
      expect([hdu.width, hdu.height, hdu.cards.get('DETSEC')]).to.deep.equal([3, 2, '[2:7,2:5]']);
      const block = (x: number, y: number): number => signal(x, y) + signal(x + 1, y) + signal(x, y + 1) + signal(x + 1, y + 1);
      expect([...hdu.pixels]).to.deep.equal([block(2, 2), block(4, 2), block(6, 2), block(2, 4), block(4, 4), block(6, 4)]);
    });
  });

  describe('simulated readout', () => {
    it('simulates when no raw stream is given, with the amps’ bias levels', () => {
      const geometry = makeGeometry({ name: 'small', width: 64, height: 32, amps: 4, prescan: 2, overscanCols: 16, overscanRows: 2 });
      const result = processReadout(request({ raw: undefined, geometry, roi: fullRoi(geometry) }));
      expect(readFits(result.fits)).to.have.length(5);
      result.stats.forEach((s, a) => expect(s.biasLevel).to.be.closeTo(ampElectronics(a).bias, 1));
      expect(result.timings.simulateMs).to.be.above(0);
    });

    it('gives the same file for the same seed, with or without scratch buffers', () => {
      const scratch = new Scratch();
      const a = processReadout(request({ raw: undefined }, { biasSubtraction: 'row' }), undefined, scratch);
      const b = processReadout(request({ raw: undefined }, { biasSubtraction: 'row' }), undefined, scratch);
      const c = processReadout(request({ raw: undefined }, { biasSubtraction: 'row' }));
      expect(Buffer.from(a.fits).equals(Buffer.from(b.fits))).to.equal(true);
      expect(Buffer.from(a.fits).equals(Buffer.from(c.fits))).to.equal(true);
      expect(scratch.bytes).to.be.above(0);
    });

    it('can encode into scratch too: the same bytes, in the same memory every time', () => {
      const scratch = new Scratch();
      const fresh = processReadout(request({}, { biasSubtraction: 'row' }));
      const a = processReadout(request({}, { biasSubtraction: 'row' }), undefined, scratch, { fitsInScratch: true });
      const copy = Buffer.from(a.fits);
      const b = processReadout(request({}, { biasSubtraction: 'row' }), undefined, scratch, { fitsInScratch: true });
      expect(b.fits.buffer).to.equal(a.fits.buffer);
      expect(copy.equals(Buffer.from(fresh.fits))).to.equal(true);
      expect(Buffer.from(b.fits).equals(copy)).to.equal(true);
    });
  });

  describe('control', () => {
    it('reports all pixels processed when done', () => {
      const control = createReadoutControl(0);
      processReadout(request(), control);
      expect(readProgress(control)).to.include({ done: rawPixelCount(G), total: rawPixelCount(G) });
    });

    it('throws AbortedError before doing anything when already aborted', () => {
      const control = createReadoutControl(rawPixelCount(G));
      requestAbort(control);
      expect(() => processReadout(request(), control)).to.throw(AbortedError, 'readout aborted');
      expect(readProgress(control).done).to.equal(0);
    });
  });

  describe('validation', () => {
    it('rejects requests it cannot process', () => {
      expect(() => validateRequest(request({ roi: { ...fullRoi(G), lastCol: 9 } }))).to.throw(InvalidArgumentError, 'ROI out of range');
      expect(() => validateRequest(request({}, { format: 'tiff' as 'mef' }))).to.throw(InvalidArgumentError, 'invalid image format: tiff');
      expect(() => validateRequest(request({}, { biasSubtraction: 'median' as 'row' }))).to.throw(InvalidArgumentError, 'invalid bias subtraction');
      const simulation = { imageType: 'dark', exposureTime: -1, seed: 1 };
      expect(() => validateRequest(request({ raw: undefined, simulation }))).to.throw(InvalidArgumentError, 'invalid exposure time: -1');
      const noOverscan = { ...G, overscanCols: 0 };
      expect(() => validateRequest(request({ geometry: noOverscan }, { biasSubtraction: 'row' }))).to.throw(InvalidArgumentError, 'needs overscan');
      expect(() => processReadout(request({ raw: new Uint16Array(5) }))).to.throw('raw readout has 5 pixels');
    });
  });

  describe('read back by astropy', () => {
    let dir: string;
    before(function () {
      requireOrSkip(this, astropyPython(), 'astropy');
      dir = mkdtempSync(join(tmpdir(), 'readout-'));
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('opens the MEF with the right extensions, shapes, sections and pixels', async () => {
      const file = join(dir, 'mef.fits');
      writeFileSync(file, processReadout(request()).fits);
      const result = await readWithAstropy<{ names: string[]; shapes: number[][]; object: string; datasec: string; corner: number; dtype: string }>(
        file,
        `
        with fits.open(path) as hdul:
            result = {
                'names': [h.name for h in hdul],
                'shapes': [list(h.data.shape) for h in hdul[1:]],
                'object': hdul[0].header['OBJECT'],
                'datasec': hdul[4].header['DATASEC'],
                'corner': int(hdul[4].data[1, 2]),
                'dtype': str(hdul[1].data.dtype),
            }
        `,
      );
      expect(result.names.map((n) => n.toUpperCase())).to.deep.equal(['PRIMARY', 'IM1', 'IM2', 'IM3', 'IM4']);
      expect(result.shapes).to.deep.equal([[4, 7], [4, 7], [4, 7], [4, 7]]);
      expect(result.object).to.equal('test field');
      expect(result.datasec).to.equal('[3:6,2:4]');
      // im4 reads toward the upper right: its data starts after 2 overscan columns and 1 overscan row
      expect(result.corner).to.equal(ampBias(3) + signal(5, 4));
      expect(result.dtype).to.equal('uint16');
    });
  });

  it('uses the data region of each amp as ampRegions describes it', () => {
    // guards the fixture: amp 4's data starts at raw (2, 1)
    expect(ampRegions(G, G.amps[3]).data).to.deep.equal({ x: 2, y: 1, width: 4, height: 3 });
  });
});
