import { expect } from 'chai';
import { deinterleave } from '../../lib/readout/deinterleave.js';
import { fullRoi, makeGeometry, rawPixelCount } from '../../lib/readout/geometry.js';
import { assembledImage, rawAmpImage, trimmedAmpImage, type ImageContext } from '../../lib/readout/images.js';
import { Scratch } from '../../lib/readout/scratch.js';
import { planAmp, planAssembly } from '../../lib/readout/sections.js';
import { StageClock } from '../../lib/readout/timings.js';

// 2 amps of 2 x 2, 1 prescan, 2 overscan columns: raw amp images 5 x 2
const G = makeGeometry({ name: 'pair', width: 4, height: 2, amps: 2, prescan: 1, overscanCols: 2, overscanRows: 0 });
// readout order per amp: prescan, data, data, overscan, overscan; amp 0 bias 100, amp 1 bias 200
const AMP0 = [100, 101, 102, 100, 100, /**/ 100, 111, 112, 100, 100];
const AMP1 = [200, 201, 202, 202, 198, /**/ 200, 211, 212, 202, 198];
const RAW = Uint16Array.from(AMP0.flatMap((v, i) => [v, AMP1[i]]));
const context = (): ImageContext => ({ g: G, clock: new StageClock(), scratch: new Scratch() });

describe('readout/images', () => {
  const amps = deinterleave(RAW, G);

  it('passes a whole raw amp image through untouched', () => {
    const plan = planAmp(G, fullRoi(G), G.amps[1], false)!;
    const { image, stats } = rawAmpImage(context(), plan, amps[1]);
    expect(image.data).to.equal(amps[1]);
    // amp 2 reads toward the right: detector order is the readout order reversed
    expect([...image.data]).to.deep.equal([198, 202, 202, 201, 200, 198, 202, 212, 211, 200]);
    expect(stats).to.include({ amp: 2, biasLevel: 200, biasNoise: 2, mean: 206.5, pixels: 4 });
  });

  it('subtracts and trims an amp to its data', () => {
    const plan = planAmp(G, fullRoi(G), G.amps[0], true)!;
    const { image, stats } = trimmedAmpImage(context(), plan, amps[0], 'row');
    expect([image.width, image.height, ...image.data]).to.deep.equal([2, 2, 1, 2, 11, 12]);
    expect(stats).to.include({ amp: 1, biasLevel: 100, mean: 6.5 });
  });

  it('assembles the amps side by side', () => {
    const { image, stats } = assembledImage(context(), planAssembly(G, fullRoi(G)), amps, 'amp', () => undefined);
    expect([image.width, image.height, ...image.data]).to.deep.equal([4, 2, 1, 2, 2, 1, 11, 12, 12, 11]);
    expect(stats.map((s) => s.amp)).to.deep.equal([1, 2]);
  });

  it('assembles raw values without subtraction', () => {
    const { image } = assembledImage(context(), planAssembly(G, fullRoi(G)), amps, 'none', () => undefined);
    expect(image.data).to.be.instanceOf(Uint16Array);
    expect([...image.data]).to.deep.equal([101, 102, 202, 201, 111, 112, 212, 211]);
    expect(rawPixelCount(G)).to.equal(RAW.length);
  });
});
