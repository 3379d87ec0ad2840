import { expect } from 'chai';
import { join } from 'node:path';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import { Camera, registerCamera } from '../../lib/camera/camera.js';
import { CommandServer } from '../../lib/server/command-server.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { LineClient } from '../support/line-client.js';
import { ManualClock } from '../support/manual-clock.js';
import { FakeReadout } from '../support/fake-readout.js';
import { TINY } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cardValue } from '../support/card-value.js';

describe('camera locking, over real sockets', () => {
  let clock: ManualClock;
  let readout: FakeReadout;
  let folder: string;
  let server: CommandServer;
  let clients: LineClient[];

  const connect = async () => {
    const client = await LineClient.connect(server.port);
    clients.push(client);
    return client;
  };
  const statusOf = async (client: LineClient) => JSON.parse((await client.command('exposure.get_status'))!.slice(3)) as Record<string, unknown>;

  beforeEach(async () => {
    clock = new ManualClock();
    readout = new FakeReadout();
    folder = mkdtempSync(join(tmpdir(), 'locking-spec-'));
    const registry = new ToolRegistry();
    registerCamera(registry, new Camera({ detector: TINY, clock, readout, imageFolder: folder }));
    registerCamera(registry, new Camera({ detector: TINY, clock, readout, imageFolder: folder, name: 'cam2' }), 'cam2');
    server = new CommandServer(registry, { port: 0 });
    await server.start();
    clients = [];
  });

  afterEach(async () => {
    for (const client of clients) client.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a second expose at once while everything else is answered', async () => {
    const [observer, rival, monitor] = [await connect(), await connect(), await connect()];
    const exposer = await connect();
    exposer.send('exposure.expose 2 object "first title"\n');
    await clock.timerSet();

    expect(await rival.command('exposure.expose 1')).to.equal('ERROR exposure in progress');
    expect(await rival.command('expose')).to.equal('ERROR exposure in progress');
    expect(await monitor.command('tempcon.get_temperatures')).to.match(/^OK -\d+\.\d+ -\d+\.\d+ 25\.0$/);
    expect(await statusOf(observer)).to.include({ exposurestate: 'EXPOSING', timeleft: 2 });
    expect(await rival.command('set_par imagetitle "second title"')).to.equal('OK');
    expect(await rival.command('get_par exposuretime')).to.equal('OK 2.0');

    await clock.advance(2000);
    const read = await readout.nextRead();
    expect(await statusOf(observer)).to.include({ exposurestate: 'READOUT' });
    expect(await monitor.command('tempcon.get_temperatures')).to.match(/^OK /);
    expect(await rival.command('exposure.expose1')).to.equal('ERROR exposure in progress');

    read.complete();
    expect(await exposer.nextLine()).to.equal('OK');
    expect(cardValue(read.request.cards, 'OBJECT')).to.equal('first title');
    expect(cardValue(read.request.cards, 'EXPTIME')).to.deep.equal(fitsFloat(2));
    expect(await rival.command('exposure.expose1 1')).to.equal('OK');
  });

  it('lets another client abort a blocking expose', async () => {
    const [exposer, operator] = [await connect(), await connect()];
    exposer.send('exposure.expose 30\n');
    await clock.timerSet();
    expect(await operator.command('exposure.abort')).to.equal('OK');
    expect(await exposer.nextLine()).to.equal('OK'); // azcam: the expose returns normally, the status says aborted
    expect(await statusOf(operator)).to.include({ exposurestate: 'NONE', message: 'aborted' });
  });

  it('keeps one exposure per camera, not one for the whole server', async () => {
    const [first, second] = [await connect(), await connect()];
    expect(await first.command('exposure.expose1 5')).to.equal('OK');
    expect(await second.command('cam2.exposure.expose1 5')).to.equal('OK');
    expect(await second.command('cam2.exposure.expose1 5')).to.equal('ERROR exposure in progress');
    expect(await first.command('cam2.exposure.get_exposureflag')).to.equal('OK 1 EXPOSING');
  });

  it('answers a client\'s pipelined commands in order while its expose waits for the file', async () => {
    const [exposer, monitor] = [await connect(), await connect()];
    exposer.send('exposure.expose 1\nexposure.get_exposureflag\n');
    await clock.timerSet();
    expect(await monitor.command('exposure.get_exposureflag')).to.equal('OK 1 EXPOSING');
    await clock.advance(1000);
    (await readout.nextRead()).complete();
    expect(await exposer.nextLines(2)).to.deep.equal(['OK', 'OK 0 NONE']);
  });
});
