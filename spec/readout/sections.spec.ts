import { expect } from 'chai';
import { fullRoi, presetGeometry, type Roi } from '../../lib/readout/geometry.js';
import { ampSections, assemblySections, planAmp, planAssembly, section } from '../../lib/readout/sections.js';

describe('readout/sections', () => {
  const g = presetGeometry('itl4k');
  const full = fullRoi(g);
  const sections = (index: number, roi: Roi = full, trimmed = false) => {
    const plan = planAmp(g, roi, g.amps[index], trimmed);
    if (!plan) throw new Error('amp outside the ROI');
    return { plan, sections: ampSections(g, plan) };
  };

  it('formats 1-based inclusive sections', () => {
    expect(section(1, 512, 1, 2048)).to.equal('[1:512,1:2048]');
  });

  it('describes an untrimmed amp reading toward the lower left', () => {
    const { plan, sections: s } = sections(0);
    expect([plan.width, plan.height]).to.deep.equal([547, 2064]);
    expect(s).to.deep.equal({
      DETSIZE: '[1:4096,1:4096]',
      CCDSEC: '[1:512,1:2048]',
      AMPSEC: '[1:512,1:2048]',
      DATASEC: '[4:515,1:2048]',
      BIASSEC: '[516:547,1:2048]',
      PBIASSEC: '[4:515,2049:2064]',
      DETSEC: '[1:512,1:2048]',
    });
  });

  it('mirrors the sections of an amp reading toward the lower right', () => {
    const { sections: s } = sections(4);
    expect(s).to.include({
      CCDSEC: '[2049:2560,1:2048]',
      AMPSEC: '[512:1,1:2048]',
      DATASEC: '[33:544,1:2048]',
      BIASSEC: '[1:32,1:2048]',
      DETSEC: '[2049:2560,1:2048]',
    });
  });

  it('puts the parallel overscan below the data of an amp reading upward', () => {
    const { sections: s } = sections(15);
    expect(s).to.include({
      AMPSEC: '[512:1,2048:1]',
      DATASEC: '[33:544,17:2064]',
      BIASSEC: '[1:32,17:2064]',
      PBIASSEC: '[33:544,1:16]',
      DETSEC: '[3585:4096,2049:4096]',
    });
  });

  it('trims to the data alone (no BIASSEC) when bias subtracted', () => {
    const { plan, sections: s } = sections(15, full, true);
    expect([plan.width, plan.height]).to.deep.equal([512, 2048]);
    expect(s.DATASEC).to.equal('[1:512,1:2048]');
    expect(s).not.to.have.property('BIASSEC');
    expect(s).not.to.have.property('PBIASSEC');
  });

  it('cuts each amp to the ROI and bins every part on its own', () => {
    const roi = { ...full, firstCol: 101, lastCol: 1100, colBin: 2, rowBin: 2 };
    expect(planAmp(g, roi, g.amps[3], false)).to.equal(undefined);
    const first = sections(0, roi);
    // 412 data columns -> 206; prescan 3 -> 1; overscan 32 -> 16; rows 2048 -> 1024 + 16 -> 8
    expect([first.plan.width, first.plan.height]).to.deep.equal([1 + 206 + 16, 1024 + 8]);
    expect(first.sections).to.include({
      DATASEC: '[2:207,1:1024]',
      BIASSEC: '[208:223,1:1024]',
      PBIASSEC: '[2:207,1025:1032]',
      DETSEC: '[101:512,1:2048]',
      AMPSEC: '[101:512,1:2048]',
    });
    // 76 columns of amp 3 -> 38 bins
    expect(sections(2, roi).sections).to.include({ DETSEC: '[1025:1100,1:2048]', DATASEC: '[2:39,1:1024]' });
  });

  it('drops partial bins from the detector sections', () => {
    const roi = { ...full, firstCol: 1, lastCol: 5, firstRow: 1, lastRow: 3, colBin: 2, rowBin: 2 };
    const { plan, sections: s } = sections(0, roi, true);
    expect([plan.width, plan.height]).to.deep.equal([2, 1]);
    expect(s).to.include({ DATASEC: '[1:2,1:1]', DETSEC: '[1:4,1:2]', CCDSEC: '[1:4,1:2]' });
  });

  it('plans an assembled image of the ROI with every amp placed at its detector position', () => {
    const roi = { ...full, firstCol: 500, lastCol: 600, firstRow: 2000, lastRow: 2100, colBin: 2, rowBin: 2 };
    const plan = planAssembly(g, roi);
    expect(plan).to.include({ width: 101, height: 101, binnedWidth: 50, binnedHeight: 50 });
    expect(plan.pieces.map((p) => [p.amp.index, p.dstX, p.dstY, p.src.width, p.src.height])).to.deep.equal([
      [0, 0, 0, 13, 49],
      [1, 13, 0, 88, 49],
      [8, 0, 49, 13, 52],
      [9, 13, 49, 88, 52],
    ]);
    expect(assemblySections(g, plan)).to.deep.equal({
      DETSIZE: '[1:4096,1:4096]',
      CCDSEC: '[500:599,2000:2099]',
      DATASEC: '[1:50,1:50]',
      DETSEC: '[500:599,2000:2099]',
    });
  });

  it('takes an assembled piece from the amp data in readout-flipped raw images', () => {
    const plan = planAssembly(g, full);
    const top = plan.pieces.find((p) => p.amp.index === 15);
    // amp 16 reads toward the upper right: its data sits after 32 overscan columns and 16 overscan rows
    expect(top).to.deep.include({ dstX: 3584, dstY: 2048, src: { x: 32, y: 16, width: 512, height: 2048 } });
  });
});
