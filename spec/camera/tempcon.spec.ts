import { expect } from 'chai';
import { shlexSplit } from '../../lib/protocol/tokenize.js';
import { DEFAULT_TEMPERATURES, Temperatures } from '../../lib/camera/tempcon.js';
import { ManualClock } from '../support/manual-clock.js';
import { CameraHarness } from './harness.js';

const readings = (reply: string) => shlexSplit(reply.slice('OK '.length)).map(Number);

describe('tempcon tool', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(() => h.cleanup());

  it('get_temperatures answers three floats: ccd, base (dewar), ambient', async () => {
    const reply = await h.send('tempcon.get_temperatures');
    expect(reply).to.match(/^OK -\d+\.\d{1,3} -\d+\.\d{1,3} 25\.0$/);
    const [ccd, base, ambient] = readings(reply);
    expect(ccd).to.be.closeTo(-110, 0.05);
    expect(base).to.be.closeTo(-170, 0.2);
    expect(ambient).to.equal(25);
    expect(await h.send('get_temperatures')).to.equal(reply);
  });

  it('answers one reading by id', async () => {
    const [ccd, base] = readings(await h.send('tempcon.get_temperatures'));
    expect(await h.send('tempcon.get_temperature')).to.equal(`OK ${ccd}`);
    expect(await h.send('tempcon.get_temperature 1')).to.equal(`OK ${base}`);
    expect(await h.send('tempcon.get_temperature 2')).to.equal('OK 25.0');
    expect(await h.send('tempcon.get_temperature 3')).to.equal('ERROR invalid temperature id: 3 (use 0 to 2)');
  });

  it('drifts the CCD toward a new set point', async () => {
    expect(await h.send('tempcon.get_control_temperature')).to.equal('OK -110.0');
    expect(await h.send('tempcon.set_control_temperature -100')).to.equal('OK');
    expect(await h.send('tempcon.get_control_temperature')).to.equal('OK -100.0');
    const ccd = async () => readings(await h.send('tempcon.get_temperatures'))[0]!;
    expect(await ccd()).to.be.closeTo(-110, 0.05);
    await h.clock.advance(DEFAULT_TEMPERATURES.timeConstantS * 1000);
    expect(await ccd()).to.be.closeTo(-100 - 10 / Math.E, 0.05);
    await h.clock.advance(DEFAULT_TEMPERATURES.timeConstantS * 10_000);
    expect(await ccd()).to.be.closeTo(-100, 0.05);
  });

  it('carries on from where the CCD is when the set point changes mid-drift', async () => {
    await h.send('tempcon.set_control_temperature -100');
    await h.clock.advance(DEFAULT_TEMPERATURES.timeConstantS * 1000);
    await h.send('tempcon.set_control_temperature -110');
    const [ccd] = readings(await h.send('tempcon.get_temperatures'));
    expect(ccd).to.be.closeTo(-100 - 10 / Math.E, 0.05);
  });

  it('refuses a set point out of range or not a number', async () => {
    expect(await h.send('tempcon.set_control_temperature -300')).to.equal('ERROR invalid control temperature: -300 (must be -200 to 40)');
    expect(await h.send('tempcon.set_control_temperature warm')).to.equal('ERROR invalid temperature: warm');
    expect(await h.send('tempcon.set_control_temperature')).to.equal('OK'); // azcam: re-applies the saved set point
    expect(await h.send('tempcon.get_temperatures now')).to.equal('ERROR too many arguments: expected at most 0, got 1');
  });

  it('adds a little noise that changes over time, reproducibly', async () => {
    const clock = new ManualClock();
    const series = () => {
      const temperatures = new Temperatures(new ManualClock(), DEFAULT_TEMPERATURES);
      return [temperatures.ccd(), temperatures.base()];
    };
    expect(series()).to.deep.equal(series());
    const temperatures = new Temperatures(clock, DEFAULT_TEMPERATURES);
    const seen = new Set<number>();
    for (let second = 0; second < 20; second++) {
      const ccd = temperatures.ccd();
      expect(ccd).to.be.within(-110.05, -109.95);
      seen.add(ccd);
      await clock.advance(1000);
    }
    expect(seen.size).to.be.greaterThan(10);
  });
});
