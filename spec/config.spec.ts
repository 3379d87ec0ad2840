import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, loadConfigFile, mergeConfig, parseConfigObject, validateConfig, type ServerConfig } from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';

const withDefaults = (changes: Partial<ServerConfig>): ServerConfig => ({ ...DEFAULT_CONFIG, ...changes });

describe('config', () => {
  describe('DEFAULT_CONFIG', () => {
    it('serves the azcam port on loopback with the itl4k detector', () => {
      expect(DEFAULT_CONFIG).to.include({ port: 2402, host: '127.0.0.1', detector: 'itl4k', dataDir: './data', maxLine: 65536 });
      expect(DEFAULT_CONFIG).to.include({ allowExit: false, logLevel: 'info', idleTimeout: 0, cameras: 1, stopTimeout: 30, threadIdle: 120 });
      expect(DEFAULT_CONFIG.allow).to.deep.equal([]);
    });

    it('uses all cores but one for workers, at least one, and queues 4 readouts per worker', () => {
      expect(DEFAULT_CONFIG.workers).to.be.at.least(1);
      expect(DEFAULT_CONFIG.maxQueue).to.equal(4 * DEFAULT_CONFIG.workers);
    });

    it('passes its own validation', () => {
      expect(() => validateConfig({ ...DEFAULT_CONFIG })).not.to.throw();
    });
  });

  describe('mergeConfig', () => {
    it('lets flags override the file, and the file override the defaults', () => {
      const merged = mergeConfig(DEFAULT_CONFIG, { port: 3000, host: '0.0.0.0' }, { port: 4000 });
      expect(merged).to.include({ port: 4000, host: '0.0.0.0', detector: 'itl4k' });
    });

    it('ignores flags that were not given (undefined)', () => {
      const merged = mergeConfig(DEFAULT_CONFIG, { welcome: 'from file' }, { welcome: undefined, port: undefined });
      expect(merged).to.include({ welcome: 'from file', port: 2402 });
    });

    it('replaces arrays rather than concatenating them', () => {
      const merged = mergeConfig(DEFAULT_CONFIG, { allow: ['10.0.0.0/8'] }, { allow: ['127.0.0.1'] });
      expect(merged.allow).to.deep.equal(['127.0.0.1']);
    });

    it('derives maxQueue from the final workers unless maxQueue is given', () => {
      expect(mergeConfig(DEFAULT_CONFIG, { workers: 3 }, {}).maxQueue).to.equal(12);
      expect(mergeConfig(DEFAULT_CONFIG, {}, { workers: 2 }).maxQueue).to.equal(8);
      expect(mergeConfig(DEFAULT_CONFIG, { maxQueue: 5 }, { workers: 2 }).maxQueue).to.equal(5);
      expect(mergeConfig(DEFAULT_CONFIG, {}, { workers: 2, maxQueue: 0 }).maxQueue).to.equal(0);
    });

    it('does not modify the defaults', () => {
      mergeConfig(DEFAULT_CONFIG, { port: 1 }, { workers: 7 });
      expect(DEFAULT_CONFIG.port).to.equal(2402);
    });
  });

  describe('validateConfig', () => {
    const refused: [string, Partial<ServerConfig>, RegExp][] = [
      ['a port above 65535', { port: 65536 }, /port must be an integer from 0 to 65535, got 65536/],
      ['a fractional port', { port: 1.5 }, /port must be an integer/],
      ['a negative port', { port: -1 }, /port/],
      ['a NaN port', { port: Number.NaN }, /port/],
      ['zero workers', { workers: 0 }, /workers must be an integer from 1/],
      ['a max line below 80', { maxLine: 79 }, /max-line must be an integer from 80/],
      ['zero cameras', { cameras: 0 }, /cameras must be an integer from 1 to 16/],
      ['17 cameras', { cameras: 17 }, /cameras/],
      ['a negative max queue', { maxQueue: -1 }, /max-queue/],
      ['a negative idle timeout', { idleTimeout: -1 }, /idle-timeout must be a number of seconds >= 0/],
      ['an infinite idle timeout', { idleTimeout: Number.POSITIVE_INFINITY }, /idle-timeout/],
      ['a negative stop timeout', { stopTimeout: -1 }, /stop-timeout must be a number of seconds from 0 to 86400/],
      ['a stop timeout of NaN', { stopTimeout: Number.NaN }, /stop-timeout/],
      ['a negative thread idle time', { threadIdle: -1 }, /thread-idle must be 0 \(never\) or a number of seconds from 1 to 86400/],
      ['a thread idle time under a second', { threadIdle: 0.001 }, /thread-idle/],
      ['a thread idle time of a year', { threadIdle: 365 * 86_400 }, /thread-idle/],
      ['an unknown log level', { logLevel: 'loud' as ServerConfig['logLevel'] }, /log-level must be one of error, warn, info, debug/],
      ['an empty host', { host: ' ' }, /host must not be empty/],
      ['an empty data dir', { dataDir: '' }, /data-dir must not be empty/],
      ['an empty detector', { detector: '' }, /detector must not be empty/],
      ['a two-line welcome', { welcome: 'hello\nworld' }, /welcome must be a single line/],
      ['an invalid allow entry', { allow: ['10.0.0.0/8', 'lab-pc'] }, /invalid --allow entry: lab-pc/],
      ['an allow prefix out of range', { allow: ['10.0.0.0/33'] }, /10\.0\.0\.0\/33/],
    ];
    for (const [what, changes, message] of refused) {
      it(`refuses ${what}`, () => {
        expect(() => validateConfig(withDefaults(changes))).to.throw(ConfigError, message);
      });
    }

    it('accepts the edges of each range', () => {
      const edges = [{ port: 0 }, { port: 65535 }, { maxLine: 80 }, { cameras: 16 }, { maxQueue: 0 }, { idleTimeout: 0.5 }, { stopTimeout: 0 }, { threadIdle: 0 }, { threadIdle: 1 }, { threadIdle: 1.5 }];
      for (const changes of edges) expect(() => validateConfig(withDefaults(changes))).not.to.throw();
    });

    it('accepts any detector name (the app checks it against its presets)', () => {
      expect(validateConfig(withDefaults({ detector: 'mosaic10k' })).detector).to.equal('mosaic10k');
    });

    it('accepts addresses and CIDR ranges, IPv4 and IPv6', () => {
      expect(() => validateConfig(withDefaults({ allow: ['127.0.0.1', '192.168.1.0/24', '::1', 'fd00::/8'] }))).not.to.throw();
    });
  });

  describe('parseConfigObject', () => {
    it('accepts config names and flag names', () => {
      expect(parseConfigObject({ dataDir: '/a', 'max-line': 100, 'allow-exit': true, allow: ['::1'] })).to.deep.equal({
        dataDir: '/a',
        maxLine: 100,
        allowExit: true,
        allow: ['::1'],
      });
    });

    it('refuses an unknown key, naming it', () => {
      expect(() => parseConfigObject({ port: 1, prot: 2 })).to.throw(ConfigError, 'unknown key "prot"');
    });

    it('refuses inherited names like constructor', () => {
      expect(() => parseConfigObject(JSON.parse('{"constructor": 1}'))).to.throw(ConfigError, 'unknown key');
    });

    const wrongTypes: [string, Record<string, unknown>, string][] = [
      ['a port given as a string', { port: '2402' }, '"port" must be a number, got "2402"'],
      ['a boolean given as a string', { allowExit: 'yes' }, '"allowExit" must be a boolean'],
      ['a string given as a number', { host: 127 }, '"host" must be a string'],
      ['allow given as a string', { allow: '127.0.0.1' }, '"allow" must be an array of strings'],
      ['allow holding a number', { allow: [1] }, '"allow" must be an array of strings'],
      ['null', { welcome: null }, '"welcome" must be a string, got null'],
    ];
    for (const [what, value, message] of wrongTypes) {
      it(`refuses ${what}`, () => {
        expect(() => parseConfigObject(value)).to.throw(ConfigError, message);
      });
    }

    it('refuses anything but a JSON object', () => {
      for (const value of [[], 'port', 5, null]) expect(() => parseConfigObject(value)).to.throw(ConfigError, 'expected a JSON object');
    });
  });

  describe('loadConfigFile', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'azcam-config-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const file = (text: string): string => {
      const path = join(dir, 'server.json');
      writeFileSync(path, text);
      return path;
    };

    it('reads the settings from a JSON file', () => {
      const path = file(JSON.stringify({ port: 2500, 'data-dir': '/data/ccd', logLevel: 'debug' }));
      expect(loadConfigFile(path)).to.deep.equal({ port: 2500, dataDir: '/data/ccd', logLevel: 'debug' });
    });

    it('names the file when the JSON is malformed', () => {
      const path = file('{ "port": 2500, }');
      expect(() => loadConfigFile(path)).to.throw(ConfigError, `config file ${path}:`);
    });

    it('names the file and the key for an unknown key', () => {
      const path = file('{ "colour": "blue" }');
      expect(() => loadConfigFile(path)).to.throw(ConfigError, `config file ${path}: unknown key "colour"`);
    });

    it('reports a missing file as a ConfigError', () => {
      expect(() => loadConfigFile(join(dir, 'missing.json'))).to.throw(ConfigError, 'cannot read config file');
    });

    it('feeds mergeConfig, under the flags', () => {
      const path = file(JSON.stringify({ port: 2500, workers: 2 }));
      const config = validateConfig(mergeConfig(DEFAULT_CONFIG, loadConfigFile(path), { port: 2600 }));
      expect(config).to.include({ port: 2600, workers: 2, maxQueue: 8 });
    });
  });
});
