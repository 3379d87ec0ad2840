import { expect } from 'chai';
import fc from 'fast-check';
import { createReadoutControl, readProgress, requestAbort } from '../../lib/readout/control.js';
import { AbortedError } from '../../lib/errors.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { canFuse } from '../../lib/readout/fused.js';
import { fullRoi, makeGeometry, presetGeometry, rawPixelCount, type DetectorGeometry, type DetectorSpec } from '../../lib/readout/geometry.js';
import type { BiasSubtraction } from '../../lib/readout/overscan.js';
import { processReadout } from '../../lib/readout/process.js';
import type { ReadoutRequest } from '../../lib/readout/request.js';
import { Scratch } from '../../lib/readout/scratch.js';

const MODES: BiasSubtraction[] = ['none', 'row', 'amp'];

/** Geometries whose amps read every way, with odd and even row lengths and data widths. */
const SPECS: DetectorSpec[] = [
  { name: 'four', width: 8, height: 6, amps: 4, prescan: 1, overscanCols: 2, overscanRows: 1 },
  { name: 'odd', width: 14, height: 10, amps: 2, prescan: 3, overscanCols: 5, overscanRows: 0 },
  { name: 'one', width: 9, height: 3, amps: 1, prescan: 0, overscanCols: 3, overscanRows: 2 },
  { name: 'sixteen', width: 40, height: 12, amps: 16, prescan: 2, overscanCols: 4, overscanRows: 3 },
  { name: 'eight', width: 64, height: 8, amps: 8, prescan: 3, overscanCols: 6, overscanRows: 2 },
  { name: 'tall', width: 6, height: 140, amps: 4, prescan: 1, overscanCols: 3, overscanRows: 2 }, // overscan in several bands
];

function task(g: DetectorGeometry, mode: BiasSubtraction, raw?: Uint16Array): ReadoutRequest {
  return {
    camera: 'spec',
    filename: 'unused.fits',
    overwrite: false,
    geometry: g,
    roi: fullRoi(g),
    simulation: { imageType: 'object', exposureTime: 3, seed: 11 },
    processing: { biasSubtraction: mode, format: 'mef' },
    cards: [{ key: 'OBJECT', value: 'field' }, { key: 'EXPTIME', value: fitsFloat(3) }],
    ...(raw ? { raw } : {}),
  };
}

/** The fused file and the reference file of one task, and their statistics. */
function both(t: ReadoutRequest, scratch?: Scratch) {
  const fused = processReadout(t, undefined, scratch, { fitsInScratch: scratch !== undefined });
  const reference = processReadout(t, undefined, undefined, { reference: true });
  return { fused, reference };
}

function expectSameFile(t: ReadoutRequest, scratch?: Scratch): void {
  const { fused, reference } = both(t, scratch);
  expect(fused.timings.deinterleaveMs, 'the fused pass ran').to.equal(0);
  expect(reference.timings.deinterleaveMs, 'the reference ran').to.be.greaterThan(0);
  expect(fused.stats).to.deep.equal(reference.stats);
  expect(Buffer.from(fused.fits).equals(Buffer.from(reference.fits)), 'files differ').to.equal(true);
}

describe('readout/fused', () => {
  it('applies to whole-detector unbinned MEF readouts only', () => {
    const g = presetGeometry('itl4k');
    expect(canFuse(g, fullRoi(g), 'mef')).to.equal(true);
    expect(canFuse(g, fullRoi(g), 'assembled')).to.equal(false);
    expect(canFuse(g, { ...fullRoi(g), colBin: 2 }, 'mef')).to.equal(false);
    expect(canFuse(g, { ...fullRoi(g), lastRow: 100 }, 'mef')).to.equal(false);
  });

  for (const spec of SPECS) {
    for (const mode of MODES) {
      it(`writes the reference file byte for byte: ${spec.name}, bias ${mode}, any raw stream`, () => {
        const g = makeGeometry(spec);
        fc.assert(
          fc.property(fc.uint16Array({ minLength: rawPixelCount(g), maxLength: rawPixelCount(g) }), (raw) => {
            expectSameFile(task(g, mode, raw));
          }),
          { seed: 21, numRuns: 25 },
        );
      });
    }
  }

  for (const mode of MODES) {
    it(`writes the reference file byte for byte: itl4k simulated, bias ${mode}, into stale scratch`, function () {
      this.timeout(60000);
      const scratch = new Scratch();
      const arena = scratch.arena(200e6); // more than any mode needs
      new Uint8Array(arena.layout({ amps: 0, workBytes: 0, pixels: 0, fileBytes: 0 }).file.buffer).fill(0xa5);
      expectSameFile(task(presetGeometry('itl4k'), mode), scratch);
      expect(scratch.arena(1), 'the stale arena was the one used').to.equal(arena);
    });
  }

  it('gives the reference statistics where an amp sum of squares passes 2^53 (rows are added in detector order)', function () {
    this.timeout(60000);
    const g = makeGeometry({ name: 'bright', width: 1800, height: 1800, amps: 1, prescan: 1, overscanCols: 4, overscanRows: 0 });
    const raw = new Uint16Array(rawPixelCount(g));
    let state = 7;
    for (let i = 0; i < raw.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      raw[i] = 60000 + ((state >>> 16) % 5536);
    }
    const { fused, reference } = both(task(g, 'none', raw));
    expect(fused.stats).to.deep.equal(reference.stats);
  });

  it('reports progress to the end and stops on abort', () => {
    const g = makeGeometry(SPECS[0]);
    const control = createReadoutControl(rawPixelCount(g));
    processReadout(task(g, 'none'), control);
    expect(readProgress(control).done).to.equal(rawPixelCount(g));
    requestAbort(control);
    expect(() => processReadout(task(g, 'none'), control)).to.throw(AbortedError);
  });
});
