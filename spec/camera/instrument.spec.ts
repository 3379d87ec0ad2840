import { expect } from 'chai';
import { CameraHarness } from './harness.js';

describe('instrument tool', () => {
  let h: CameraHarness;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(() => h.cleanup());

  it('lists the filters and selects one by name', async () => {
    expect(await h.send('instrument.get_filters')).to.equal('OK clear u g r i z');
    expect(await h.send('instrument.get_filter')).to.equal('OK clear');
    expect(await h.send('instrument.set_filter r')).to.equal('OK');
    expect(await h.send('instrument.get_filter')).to.equal('OK r');
    expect(await h.send('exposure.get_keyword FILTER')).to.equal("OK r 'Filter name' str");
  });

  it('refuses an unknown filter (names are case-sensitive)', async () => {
    expect(await h.send('instrument.set_filter R')).to.equal('ERROR unknown filter: R (filters: clear, u, g, r, i, z)');
    expect(await h.send('instrument.set_filter')).to.equal('ERROR missing filter name');
    expect(await h.send('instrument.get_filter')).to.equal('OK clear');
  });

  it('quotes filter names with spaces', async () => {
    const custom = new CameraHarness({ filters: ['Johnson U', 'Halpha'] });
    expect(await custom.send('instrument.get_filters')).to.equal("OK 'Johnson U' Halpha");
    expect(await custom.send('instrument.get_filter')).to.equal('OK Johnson U');
    custom.cleanup();
  });

  it('sets the wavelength within range', async () => {
    expect(await h.send('instrument.get_wavelength')).to.equal('OK 500.0');
    expect(await h.send('instrument.set_wavelength 656.3')).to.equal('OK');
    expect(await h.send('instrument.get_wavelength')).to.equal('OK 656.3');
    expect(await h.send('instrument.set_wavelength 5')).to.equal('ERROR invalid wavelength: 5 (must be 200 to 2000 nm)');
    expect(await h.send('instrument.set_wavelength red')).to.equal('ERROR invalid wavelength: red');
  });

  it('does not move during an exposure', async () => {
    await h.startExposure('1');
    expect(await h.send('instrument.set_filter g')).to.equal('ERROR exposure in progress');
    expect(await h.send('instrument.set_wavelength 600')).to.equal('ERROR exposure in progress');
    expect(await h.send('instrument.get_filter')).to.equal('OK clear');
  });
});
