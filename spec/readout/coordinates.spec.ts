/**
 * The coordinate mappings and calibration keywords of a binned ROI frame, checked numerically by
 * astropy against an unbinned full frame of the same seed: every binned data pixel, mapped back
 * through LTV/LTM, must be the sum of the full frame's pixels it covers. ATV/ATM and DTV/DTM must
 * map CCDSEC onto AMPSEC and DETSEC, and PBIASSEC must hold the parallel overscan rows.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ampMappings, assemblyMappings } from '../../lib/readout/coordinates.js';
import { fullRoi, makeGeometry, type Roi } from '../../lib/readout/geometry.js';
import type { BiasSubtraction } from '../../lib/readout/overscan.js';
import { processReadout } from '../../lib/readout/process.js';
import type { ImageFormat } from '../../lib/readout/request.js';
import { planAmp, planAssembly } from '../../lib/readout/sections.js';
import { ampElectronics } from '../../lib/readout/simulate.js';
import { astropyPython, fitsverifyPath, readWithAstropy, runFitsverify } from '../support/external-readers.js';
import { requireOrSkip } from '../support/requirements.js';
import { readFits } from '../support/read-fits.js';

/** 2 x 2 amps, so that every combination of flips is there; serial and parallel overscan. */
const G = makeGeometry({ name: 'tiny', width: 64, height: 32, amps: 4, prescan: 2, overscanCols: 4, overscanRows: 3 });
/** Across all four amps, odd edges, 2 x 3 binning with partial bins to drop. */
const ROI: Roi = { firstCol: 5, lastCol: 60, firstRow: 3, lastRow: 30, colBin: 2, rowBin: 3 };

function encode(roi: Roi, format: ImageFormat, biasSubtraction: BiasSubtraction = 'none'): Uint8Array {
  return processReadout({
    camera: 'cam1',
    filename: 'unused.fits',
    overwrite: false,
    geometry: G,
    roi,
    simulation: { imageType: 'object', exposureTime: 10, seed: 7 },
    processing: { biasSubtraction, format },
    cards: [],
  }).fits;
}

describe('readout/coordinates', () => {
  it('maps the first data pixel of an amp image to the centre of the CCD pixels it bins', () => {
    const plan = planAmp(G, ROI, G.amps[3]!, false)!; // upper right: reads toward high x and y
    const { image, amplifier, detector } = ampMappings(G, plan);
    const [x, y] = image;
    // Image pixel DATASEC x1 holds CCD columns 33, 34 (centre 33.5); y1 holds rows 17-19 (centre 18).
    expect(x.scale * 33.5 + x.offset).to.be.closeTo(plan.dataCols.dst + 1, 1e-12);
    expect(y.scale * 18 + y.offset).to.be.closeTo(plan.dataRows.dst + 1, 1e-12);
    expect(amplifier).to.deep.equal([{ scale: -1, offset: 65 }, { scale: -1, offset: 33 }]);
    expect(detector).to.deep.equal([{ scale: 1, offset: 0 }, { scale: 1, offset: 0 }]);
    const assembled = assemblyMappings(planAssembly(G, ROI)).image;
    expect(assembled[0].scale * 5.5 + assembled[0].offset).to.be.closeTo(1, 1e-12);
    expect(assembled[1].scale * 4 + assembled[1].offset).to.be.closeTo(1, 1e-12);
  });

  it('writes gain, read noise, saturation and unit per amp, SATURATE following bias subtraction and binning', () => {
    const raw = readFits(encode(ROI, 'mef'));
    const trimmed = readFits(encode(ROI, 'mef', 'amp'));
    for (const [i, ext] of raw.slice(1).entries()) {
      const amp = Number(ext.cards.get('IMAGEID')) - 1;
      expect(ext.cards.get('AMPNAME')).to.equal(`amp${amp + 1}`);
      expect(ext.cards.get('CCDNAME')).to.equal('ccd1');
      expect(ext.cards.get('BUNIT')).to.equal('ADU');
      expect(ext.cards.get('GAIN')).to.equal(1);
      expect(ext.cards.get('RDNOISE')).to.equal(ampElectronics(amp).readNoise);
      expect(ext.cards.get('SATURATE')).to.equal(65535);
      const bias = Number(trimmed[i + 1]!.cards.get('BIASMEAN'));
      expect(trimmed[i + 1]!.cards.get('SATURATE')).to.equal(Math.floor(65535 - bias) * 6);
    }
  });

  describe('read back by astropy', () => {
    let dir: string;
    before(function () {
      requireOrSkip(this, astropyPython(), 'astropy');
      dir = mkdtempSync(join(tmpdir(), 'azcam-coordinates-'));
      writeFileSync(join(dir, 'full.fits'), encode(fullRoi(G), 'mef'));
      writeFileSync(join(dir, 'roi.fits'), encode(ROI, 'mef'));
      writeFileSync(join(dir, 'assembled.fits'), encode(ROI, 'assembled'));
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    // For each binned data pixel: its CCD centre through LTV/LTM, the CCD pixels its bin covers,
    // and their sum in the unbinned full frame (found there through that file's own LTV/LTM).
    const checkAgainstFull = (full: string) => `
def sec(text):
    x, y = text.strip('[]').split(',')
    return [int(v) for v in x.split(':')] + [int(v) for v in y.split(':')]

def inside(value, a, b):
    return min(a, b) <= value <= max(a, b)

with fits.open(${JSON.stringify(full)}) as full:
    frames = [(h.header, h.data.astype(np.int64)) for h in full[1:]]

def ccd_pixel(x, y):
    for h, data in frames:
        ix, iy = h['LTM1_1'] * x + h['LTV1'], h['LTM2_2'] * y + h['LTV2']
        x1, x2, y1, y2 = sec(h['DATASEC'])
        if inside(ix, x1, x2) and inside(iy, y1, y2):
            return int(data[round(iy) - 1, round(ix) - 1])
    raise ValueError((x, y))

checked, wrong, corners = 0, [], []
with fits.open(path) as hdul:
    for ext in (hdul[1:] if len(hdul) > 1 else hdul):
        h, data = ext.header, ext.data.astype(np.int64)
        bx, by = round(1 / h['LTM1_1']), round(1 / h['LTM2_2'])
        x1, x2, y1, y2 = sec(h['DATASEC'])
        for iy in range(y1, y2 + 1):
            for ix in range(x1, x2 + 1):
                cx, cy = (ix - h['LTV1']) / h['LTM1_1'], (iy - h['LTV2']) / h['LTM2_2']
                xs = [round(cx - (bx - 1) / 2) + k for k in range(bx)]
                ys = [round(cy - (by - 1) / 2) + k for k in range(by)]
                total = sum(ccd_pixel(x, y) for x in xs for y in ys)
                checked += 1
                if total != data[iy - 1, ix - 1]:
                    wrong.append([ix, iy, int(data[iy - 1, ix - 1]), total])
        c = sec(h['CCDSEC'])
        if 'ATM1_1' in h:
            amp = [h['ATM1_1'] * c[0] + h['ATV1'], h['ATM1_1'] * c[1] + h['ATV1'], h['ATM2_2'] * c[2] + h['ATV2'], h['ATM2_2'] * c[3] + h['ATV2']]
            corners.append(['AMPSEC', amp, sec(h['AMPSEC'])])
        det = [h['DTM1_1'] * c[0] + h['DTV1'], h['DTM1_1'] * c[1] + h['DTV1'], h['DTM2_2'] * c[2] + h['DTV2'], h['DTM2_2'] * c[3] + h['DTV2']]
        corners.append(['DETSEC', det, sec(h['DETSEC'])])
result = {'checked': checked, 'wrong': wrong[:5], 'corners': corners}
`;

    interface MappingCheck {
      checked: number;
      wrong: number[][];
      corners: [string, number[], number[]][];
    }

    for (const file of ['roi.fits', 'assembled.fits']) {
      it(`${file}: every binned pixel is the sum of the CCD pixels LTV/LTM map it to; ATV/DTV map CCDSEC to AMPSEC/DETSEC`, async () => {
        const result = await readWithAstropy<MappingCheck>(join(dir, file), checkAgainstFull(join(dir, 'full.fits')));
        // Each amp holds 28 x 14 ROI pixels: 14 x 4 bins (2 rows dropped); assembled: 28 x 9.
        expect(result.checked).to.equal(file === 'roi.fits' ? 4 * 14 * 4 : 28 * 9);
        expect(result.wrong).to.deep.equal([]);
        for (const [what, mapped, written] of result.corners) expect(mapped, what).to.deep.equal(written);
      });
    }

    it('PBIASSEC holds the parallel overscan rows: bias level, no light', async () => {
      const levels = await readWithAstropy<number[][]>(
        join(dir, 'roi.fits'),
        `
def region(h, data, key):
    x, y = h[key].strip('[]').split(',')
    x1, x2 = (int(v) for v in x.split(':'))
    y1, y2 = (int(v) for v in y.split(':'))
    return data[y1 - 1:y2, x1 - 1:x2]

with fits.open(path) as hdul:
    result = [[float(np.median(region(e.header, e.data, 'PBIASSEC'))) / 6, e.header['BIASMEAN'], float(np.median(region(e.header, e.data, 'DATASEC'))) / 6] for e in hdul[1:]]
`,
      );
      expect(levels).to.have.length(4);
      for (const [overscan, bias, data] of levels) {
        expect(overscan).to.be.closeTo(bias!, 3);
        expect(data! - bias!).to.be.greaterThan(300); // 10 s of sky
      }
    });

    it('fitsverify finds nothing to warn about', async function () {
      requireOrSkip(this, fitsverifyPath(), 'fitsverify');
      for (const file of ['roi.fits', 'assembled.fits']) {
        const report = await runFitsverify(join(dir, file));
        expect([report.errors, report.warnings], report.output).to.deep.equal([0, 0]);
      }
    });
  });
});
