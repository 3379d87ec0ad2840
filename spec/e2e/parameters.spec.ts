/**
 * End to end: parameter values typed as azcam types them, over a real socket and across a restart
 * on the same data directory: an int keeps every digit (in the reply, the parameter file and a
 * header card), a float its point, and a hand-edited parameter file reads back as azcam's start
 * reads its own; the names clients may keep are limited, and a file beyond the limit still loads.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARAMETER_FILE_STEM } from '../../lib/app.js';
import { MAX_SUBDICT_NAMES } from '../../lib/camera/subdicts.js';
import { E2E, primaryHeader } from './support.js';

describe('e2e: parameters', function () {
  this.timeout(30000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  it('keeps an int\'s every digit and a float\'s point across a restart', async () => {
    const { app, port, dataDir } = await e2e.start();
    const client = await e2e.connect(port);
    expect(await client.raw('set_par serial 12345678901234567890')).to.equal('OK');
    expect(await client.raw('set_par scale 2.0')).to.equal('OK');
    expect(await client.raw('get_par serial')).to.equal('OK 12345678901234567890');
    expect(await client.raw('save_pars')).to.equal('OK');
    await app.stop();

    const { port: again } = await e2e.start({ dataDir });
    const next = await e2e.connect(again);
    expect(await next.raw('get_par serial')).to.equal('OK 12345678901234567890');
    expect(await next.raw('get_par scale')).to.equal('OK 2.0');
  });

  it('reads a hand-edited parameter file as azcam starts: the default subdict typed again, the others as text', async () => {
    const dataDir = e2e.dir();
    const edited = { runid: '007', offset: '-5' };
    writeFileSync(join(dataDir, `${PARAMETER_FILE_STEM}.json`), JSON.stringify({ parameters: {}, subdicts: { azcamserver: edited, get_temps: edited } }));
    const { port } = await e2e.start({ dataDir });
    const client = await e2e.connect(port);
    expect(await client.raw('get_par runid')).to.equal('OK 7');
    expect(await client.raw('get_par offset')).to.equal('OK -5.0');
    expect(await client.raw('get_par runid get_temps')).to.equal('OK 007');
    expect(await client.raw('get_par offset get_temps')).to.equal('OK -5');
  });

  it('refuses a new name past the limit with an ERROR naming it; a name kept can still change; another client is served', async () => {
    const { port } = await e2e.start();
    const [client, other] = [await e2e.connect(port), await e2e.connect(port)];
    const kept = Array.from({ length: MAX_SUBDICT_NAMES }, (_, n) => client.raw(`set_par key${n} ${n} sub${n % 10}`));
    expect(new Set(await Promise.all(kept))).to.deep.equal(new Set(['OK']));
    expect(await client.raw('set_par onemore 1 sub0')).to.equal(`ERROR too many parameters: at most ${MAX_SUBDICT_NAMES} names may be kept in subdicts`);
    expect(await client.raw('set_par onemore 1 newsub')).to.match(/^ERROR too many parameters/);
    expect(await client.raw('get_par onemore sub0')).to.equal('OK');
    expect(await client.raw('set_par key7 changed sub7')).to.equal('OK');
    expect(await client.raw('get_par key7 sub7')).to.equal('OK changed');
    expect(await client.raw('set_par imagetitle still')).to.equal('OK'); // a name the server knows is no subdict's
    expect(await other.raw('echo served')).to.equal('OK served');
  });

  it('starts on a parameter file beyond the limit and keeps all of it: only new names are refused', async () => {
    const dataDir = e2e.dir();
    const path = join(dataDir, `${PARAMETER_FILE_STEM}.json`);
    const many = Object.fromEntries(Array.from({ length: MAX_SUBDICT_NAMES + 5 }, (_, n) => [`key${n}`, `${n}`]));
    writeFileSync(path, JSON.stringify({ parameters: {}, subdicts: { get_temps: many } }));
    const { port } = await e2e.start({ dataDir });
    const client = await e2e.connect(port);
    expect(await client.raw(`get_par key${MAX_SUBDICT_NAMES + 4} get_temps`)).to.equal(`OK ${MAX_SUBDICT_NAMES + 4}`);
    expect(await client.raw('set_par key0 changed get_temps')).to.equal('OK');
    expect(await client.raw('set_par onemore 1 get_temps')).to.match(/^ERROR too many parameters/);
    expect(await client.raw('save_pars')).to.equal('OK');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { subdicts: { get_temps: Record<string, string> } };
    expect(saved.subdicts.get_temps).to.deep.equal({ ...many, key0: 'changed' });
  });

  it('writes a header template\'s int with every digit to the image, and refuses one no card holds', async () => {
    const { port, dataDir } = await e2e.start();
    const client = await e2e.connect(port);
    writeFileSync(join(dataDir, 'serial.txt'), 'SERIALNO 12345678901234567890 / board\n');
    expect(await client.raw('exposure.read_header_file serial.txt')).to.equal('OK');
    expect(await client.raw('exposure.expose 0 zero')).to.equal('OK');
    expect(primaryHeader(join(dataDir, 'itl.0001.fits')).get('SERIALNO')).to.equal(12345678901234567890n);
    writeFileSync(join(dataDir, 'wide.txt'), `WIDE ${'9'.repeat(71)}\n`);
    expect(await client.raw('exposure.read_header_file wide.txt')).to.equal('ERROR wide.txt line 1: FITS integer value for WIDE too long: at most 70 characters fit a card');
  });
});
