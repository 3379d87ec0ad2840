import { expect } from 'chai';
import { assembledCards, extensionCards, mefPrimaryCards, mergeCards } from '../../lib/readout/cards.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { fullRoi, presetGeometry } from '../../lib/readout/geometry.js';
import { planAmp, planAssembly } from '../../lib/readout/sections.js';
import type { AmpStats } from '../../lib/readout/stats.js';
import { cardValue } from '../support/card-value.js';

const g = presetGeometry('itl4k');
const stats: AmpStats = { amp: 16, mean: 1.23456, stddev: 4, biasLevel: 1001.5, biasNoise: 3.9999, pixels: 10 };

describe('readout/cards', () => {
  it("merges the worker's cards over the snapshot's, keeping commentary", () => {
    const merged = mergeCards(
      [{ key: 'OBJECT', value: 'm31' }, { key: 'DETSIZE', value: 'old' }, { key: 'COMMENT', comment: 'hello' }],
      [{ key: 'DETSIZE', value: '[1:4096,1:4096]' }],
    );
    expect(merged.map((c) => `${c.key}=${String(c.value)}`)).to.deep.equal(['OBJECT=m31', 'COMMENT=undefined', 'DETSIZE=[1:4096,1:4096]']);
  });

  it('writes the detector and processing into the primary header', () => {
    const cards = mefPrimaryCards([{ key: 'OBJECT', value: 'm31' }], g, 2, 2, 'row');
    expect(cardValue(cards, 'OBJECT')).to.equal('m31');
    expect(cardValue(cards, 'DETSIZE')).to.equal('[1:4096,1:4096]');
    expect(cardValue(cards, 'NAMPS')).to.equal(16);
    expect(cardValue(cards, 'CCDSUM')).to.equal('2 2');
    expect(cardValue(cards, 'BIASSUB')).to.equal('row');
  });

  it('names an amp extension and writes its sections and statistics', () => {
    const plan = planAmp(g, fullRoi(g), g.amps[15], false)!;
    const cards = extensionCards(g, plan, stats, 'none', []);
    expect(cards.slice(0, 2).map((c) => c.value)).to.deep.equal(['im16', 16]);
    expect(cardValue(cards, 'BIASSEC')).to.equal('[1:32,17:2064]');
    expect(cardValue(cards, 'DATAMEAN')).to.deep.equal(fitsFloat(1.235));
    expect(cardValue(cards, 'BIASRMS')).to.deep.equal(fitsFloat(4));
    expect(cardValue(cards, 'BIASMEAN')).to.have.property('float').that.is.a('number');
  });

  it('describes an assembled image as a whole', () => {
    const cards = assembledCards([], g, planAssembly(g, fullRoi(g)), [stats, { ...stats, mean: 3.23456 }], 'amp');
    expect(cardValue(cards, 'DETSEC')).to.equal('[1:4096,1:4096]');
    expect(cardValue(cards, 'DATASEC')).to.equal('[1:4096,1:4096]');
    expect(cards.some((c) => c.key === 'AMPSEC' || c.key === 'BIASSEC')).to.equal(false);
    expect(cardValue(cards, 'DATAMEAN')).to.deep.equal(fitsFloat(2.235));
  });
});
