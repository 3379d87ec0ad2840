/**
 * End to end: parameter values typed as azcam types them, over a real socket and across a restart
 * on the same data directory: an int keeps every digit (in the reply, the parameter file and a
 * header card), a float its point, and a hand-edited parameter file reads back as azcam's start
 * reads its own.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARAMETER_FILE_STEM } from '../../lib/app.js';
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
