import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
import {
  ampGrid,
  ampLayout,
  ampRegions,
  detectorStreamIndex,
  fullRoi,
  makeGeometry,
  presetGeometry,
  rawHeight,
  rawPixelCount,
  rawWidth,
  roiToArray,
  streamIndex,
  validateRoi,
  DEFAULT_PRESET,
} from '../../lib/readout/geometry.js';

describe('readout/geometry', () => {
  describe('presets', () => {
    it('defaults to the 4k x 4k 16-amp ITL CCD: 8 x 2 amps of 512 x 2048', () => {
      const g = presetGeometry();
      expect(DEFAULT_PRESET).to.equal('itl4k');
      expect(g).to.include({ name: 'itl4k', width: 4096, height: 4096, ampsX: 8, ampsY: 2, ampWidth: 512, ampHeight: 2048 });
      expect(g.amps).to.have.length(16);
      expect(rawWidth(g)).to.equal(3 + 512 + 32);
      expect(rawHeight(g)).to.equal(2048 + 16);
      expect(rawPixelCount(g)).to.equal(547 * 2064 * 16);
    });

    it('has a 2k single-amp CCD and a ~10k mosaic-size detector', () => {
      expect(presetGeometry('sta2k')).to.include({ width: 2048, height: 2048, ampsX: 1, ampsY: 1 });
      const mosaic = presetGeometry('mosaic10k');
      expect(mosaic).to.include({ width: 10560, height: 10560, ampsX: 4, ampsY: 4, ampWidth: 2640, ampHeight: 2640 });
    });

    it('reads a preset through fewer amps', () => {
      const g = presetGeometry('itl4k', 4);
      expect(g).to.include({ ampsX: 2, ampsY: 2, ampWidth: 2048, ampHeight: 2048, prescan: 3 });
    });

    it('rejects unknown presets and amp counts', () => {
      expect(() => presetGeometry('nope')).to.throw(InvalidArgumentError, 'unknown detector: nope');
      expect(() => ampGrid(3)).to.throw(InvalidArgumentError, 'unsupported amplifier count: 3');
      expect(() => makeGeometry({ name: 'x', width: 9, height: 10, amps: 4, prescan: 0, overscanCols: 0, overscanRows: 0 })).to.throw(
        InvalidArgumentError,
        'does not divide',
      );
    });
  });

  describe('amp layouts', () => {
    it('lays out 1, 2, 4, 8 and 16 amps, each reading toward its nearest edge', () => {
      const flips = (n: number): string =>
        ampLayout(...ampGrid(n))
          .map((a) => (a.flipX ? 'X' : '-') + (a.flipY ? 'Y' : '-'))
          .join(' ');
      expect(flips(1)).to.equal('--');
      expect(flips(2)).to.equal('-- X-');
      expect(flips(4)).to.equal('-- X- -Y XY');
      expect(flips(8)).to.equal('-- -- X- X- -Y -Y XY XY');
      expect(flips(16)).to.equal('-- -- -- -- X- X- X- X- -Y -Y -Y -Y XY XY XY XY');
    });

    it('numbers amps row-major from the lower left', () => {
      const amps = ampLayout(4, 2);
      expect(amps.map((a) => `${a.index}:${a.gridX},${a.gridY}`)).to.deep.equal([
        '0:0,0', '1:1,0', '2:2,0', '3:3,0', '4:0,1', '5:1,1', '6:2,1', '7:3,1',
      ]);
    });
  });

  describe('amp regions and stream order', () => {
    const g = makeGeometry({ name: 'tiny', width: 6, height: 4, amps: 4, prescan: 1, overscanCols: 2, overscanRows: 1 });

    it('puts prescan before and overscan after the data in readout order', () => {
      expect(ampRegions(g, g.amps[0])).to.deep.equal({
        data: { x: 1, y: 0, width: 3, height: 2 },
        prescan: { x: 0, y: 0, width: 1, height: 3 },
        serialOverscan: { x: 4, y: 0, width: 2, height: 3 },
        parallelOverscan: { x: 0, y: 2, width: 6, height: 1 },
      });
      // amp 3 reads toward the upper right: everything mirrored
      expect(ampRegions(g, g.amps[3])).to.deep.equal({
        data: { x: 2, y: 1, width: 3, height: 2 },
        prescan: { x: 5, y: 0, width: 1, height: 3 },
        serialOverscan: { x: 0, y: 0, width: 2, height: 3 },
        parallelOverscan: { x: 0, y: 0, width: 6, height: 1 },
      });
    });

    it('indexes the interleaved stream: pixel i of every amp before pixel i + 1', () => {
      // amp 0 (no flip): its raw (0,0) is read first
      expect(streamIndex(g, g.amps[0], 0, 0)).to.equal(0);
      expect(streamIndex(g, g.amps[0], 1, 0)).to.equal(4);
      // amp 1 (flip x): its raw (5,0) is read first, (4,0) second
      expect(streamIndex(g, g.amps[1], 5, 0)).to.equal(1);
      expect(streamIndex(g, g.amps[1], 4, 0)).to.equal(5);
      // amp 3 (flip x and y): its raw (5,2) first
      expect(streamIndex(g, g.amps[3], 5, 2)).to.equal(3);
      expect(streamIndex(g, g.amps[3], 5, 1)).to.equal((6 * 1 + 0) * 4 + 3);
    });

    it('maps detector pixels to their amp and stream index', () => {
      // detector (0,0): amp 0, raw (1,0) (after 1 prescan), read second
      expect(detectorStreamIndex(g, 0, 0)).to.equal(4);
      // detector (5,3) is the top-right corner: amp 3's first data pixel, after its prescan
      expect(detectorStreamIndex(g, 5, 3)).to.equal(streamIndex(g, g.amps[3], 4, 2));
      expect(streamIndex(g, g.amps[3], 4, 2)).to.equal(1 * 4 + 3);
    });
  });

  describe('ROI', () => {
    const g = presetGeometry();

    it('is the whole detector unbinned by default, in azcam order', () => {
      expect(roiToArray(fullRoi(g))).to.deep.equal([1, 4096, 1, 4096, 1, 1]);
      expect(() => validateRoi(g, fullRoi(g))).not.to.throw();
    });

    it('rejects ROIs off the detector or empty', () => {
      const roi = fullRoi(g);
      expect(() => validateRoi(g, { ...roi, firstCol: 0 })).to.throw(InvalidArgumentError, 'ROI out of range: 0 4096 1 4096 (detector is 1 4096 1 4096)');
      expect(() => validateRoi(g, { ...roi, lastRow: 4097 })).to.throw(InvalidArgumentError, 'ROI out of range');
      expect(() => validateRoi(g, { ...roi, firstCol: 10, lastCol: 9 })).to.throw(InvalidArgumentError, 'ROI is empty');
      expect(() => validateRoi(g, { ...roi, firstRow: 1.5 })).to.throw(InvalidArgumentError, 'ROI must be integers');
    });

    it('rejects bad binning', () => {
      const roi = fullRoi(g);
      expect(() => validateRoi(g, { ...roi, colBin: 0 })).to.throw(InvalidArgumentError, 'invalid binning: colbin 0');
      expect(() => validateRoi(g, { ...roi, rowBin: 1.5 })).to.throw(InvalidArgumentError, 'invalid binning: rowbin 1.5');
      expect(() => validateRoi(g, { ...roi, lastCol: 2, colBin: 3 })).to.throw(InvalidArgumentError, 'binning 3x1 is larger than the ROI');
    });
  });
});
