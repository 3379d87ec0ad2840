import { expect } from 'chai';
import { DEFAULT_CONFIG, mergeConfig, parseConfigObject, validateConfig } from '../../lib/config.js';
import { ConfigError } from '../../lib/errors.js';

describe('--web-hosts', () => {
  it('is empty unless given; takes an array of names from the config file', () => {
    expect(DEFAULT_CONFIG.webHosts).to.deep.equal([]);
    expect(parseConfigObject({ 'web-hosts': ['ccd-lab', '*'] })).to.deep.equal({ webHosts: ['ccd-lab', '*'] });
    expect(validateConfig({ ...DEFAULT_CONFIG, webHosts: ['ccd-lab.example.org', '*'] }).webHosts).to.have.length(2);
  });

  it('refuses an entry that is not a host name, naming it', () => {
    for (const entry of ['ccd-lab:2403', 'http://ccd-lab', '', 'a b']) {
      expect(() => validateConfig({ ...DEFAULT_CONFIG, webHosts: ['ok', entry] }), entry).to.throw(ConfigError, `invalid --web-hosts entry: "${entry}"`);
    }
    expect(() => parseConfigObject({ webHosts: 'ccd-lab' })).to.throw(ConfigError);
  });
});

describe('--web-port', () => {
  it('is the command port + 1 unless given (undefined in the config)', () => {
    expect(mergeConfig(DEFAULT_CONFIG, {}, {}).webPort).to.equal(undefined);
  });

  it('accepts 0 (no web server) to 65535, from the command line or the config file', () => {
    expect(validateConfig({ ...DEFAULT_CONFIG, webPort: 0 }).webPort).to.equal(0);
    expect(parseConfigObject({ 'web-port': 8080 })).to.deep.equal({ webPort: 8080 });
  });

  it('refuses anything else', () => {
    for (const webPort of [-1, 65536, 1.5, Number.NaN]) {
      expect(() => validateConfig({ ...DEFAULT_CONFIG, webPort }), String(webPort)).to.throw(ConfigError, /^web-port must be an integer/);
    }
    expect(() => parseConfigObject({ webPort: '2403' })).to.throw(ConfigError);
  });
});
