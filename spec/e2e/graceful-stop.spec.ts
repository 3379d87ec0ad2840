/**
 * End to end (issue 9, "Graceful stop" and "Access"): stop() and SIGTERM with exposures in
 * flight let them finish, reply and write their files, then close; a second SIGTERM forces exit;
 * the port can be taken again at once; --allow and exit.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { startCameraServer } from '../../lib/app.js';
import { DEFAULT_CONFIG } from '../../lib/config.js';
import { LOCK_FILE } from '../../lib/storage/data-dir-lock.js';
import { startServerProcess, type ScriptProcess } from '../scripts/processes.js';
import { LineClient } from '../support/line-client.js';
import { LogCapture } from '../support/log-capture.js';
import { E2E, filesIn, primaryHeader, readFitsFile, waitForState } from './support.js';

/** Whether something accepts TCP connections on this loopback port. */
async function listening(port: number): Promise<boolean> {
  const socket = connect({ port, host: '127.0.0.1' });
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Each image of a sta2k MEF file is whole: one 2084 x 2048 extension. */
function expectWholeSta2k(file: string, title: string): void {
  const [primary, image] = readFitsFile(file);
  expect(primary.cards.get('OBJECT')).to.equal(title);
  expect([image.width, image.height]).to.deep.equal([2084, 2048]);
}

describe('e2e: graceful stop', function () {
  this.timeout(30000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  describe('app.stop()', () => {
    it('with an exposure integrating and readouts in flight: the exposes reply OK, every file is written, then stop resolves', async () => {
      const { app, port, dataDir } = await e2e.start({ cameras: 3, workers: 1 });
      const [one, two, three, monitor] = await Promise.all([1, 2, 3, 4].map(() => e2e.connect(port)));
      const received: string[] = [];
      const exposing = [
        one.raw('exposure.expose 0.5 object "integrating"').then((reply) => (received.push('one'), reply)),
        two.raw('cam2.exposure.expose 0.1 object "reading"').then((reply) => (received.push('two'), reply)),
      ];
      expect(await three.raw('cam3.exposure.expose1 0.1 object "replied at once"')).to.equal('OK');
      await waitForState(monitor, 'READOUT', 'cam2');
      await waitForState(monitor, 'READOUT', 'cam3');
      expect(await waitForState(monitor, 'EXPOSING')).to.include({ filename: join(dataDir, 'itl.0001.fits') });
      await monitor.close();

      await app.stop();
      // Replies are written before their connection closes, and stop waits for the connections.
      expect(received.sort()).to.deep.equal(['one', 'two']);
      expect(await Promise.all(exposing)).to.deep.equal(['OK', 'OK']);
      expect(filesIn(dataDir)).to.deep.equal(['cam2.0001.fits', 'cam3.0001.fits', 'itl.0001.fits']);
      expectWholeSta2k(join(dataDir, 'itl.0001.fits'), 'integrating');
      expectWholeSta2k(join(dataDir, 'cam2.0001.fits'), 'reading');
      expectWholeSta2k(join(dataDir, 'cam3.0001.fits'), 'replied at once');
      await Promise.all([one.closed, two.closed, three.closed]);
      await app.stopped;
      expect(await listening(port)).to.equal(false);
    });

    it('waits for the file of a readout whose command already replied (expose1)', async () => {
      const { app, port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      expect(await client.raw('exposure.expose1 0.1 object "expose1 at stop"')).to.equal('OK');
      await waitForState(client, 'READOUT');
      await client.close();
      await app.stop();
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
      expectWholeSta2k(join(dataDir, 'itl.0001.fits'), 'expose1 at stop');
    });

    it('ends an exposure still integrating whose command already replied (expose1) early, and writes it', async () => {
      const { app, port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      expect(await client.raw('exposure.expose1 30 object "integrating at stop"')).to.equal('OK');
      await waitForState(client, 'EXPOSING');
      await client.close();
      await app.stop();
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
      expectWholeSta2k(join(dataDir, 'itl.0001.fits'), 'integrating at stop');
      expect(primaryHeader(join(dataDir, 'itl.0001.fits')).get('EXPTIME')).to.be.within(0, 29);
    });

    it('ends a paused exposure early: read out with the time it integrated, the expose replies OK, the stop is logged', async () => {
      const logs = new LogCapture();
      try {
        const { app, port, dataDir } = await e2e.start();
        const [exposer, other] = [await e2e.connect(port), await e2e.connect(port)];
        const exposing = exposer.raw('exposure.expose 30 object "paused at stop"');
        await waitForState(other, 'EXPOSING');
        expect(await other.raw('exposure.pause')).to.equal('OK');
        const remaining = Number((await other.raw('exposure.get_exposuretime_remaining')).slice(3));
        await other.close();
        await app.stop();
        expect(await exposing).to.equal('OK');
        const file = join(dataDir, 'itl.0001.fits');
        expectWholeSta2k(file, 'paused at stop');
        expect(primaryHeader(file).get('EXPTIME')).to.be.closeTo(30 - remaining, 0.002);
        const ended = await logs.waitFor('exposure ended early, read out with the time integrated');
        expect(ended).to.include({ filename: file, planned: 30 });
      } finally {
        logs.stop();
      }
    });

    it('past --stop-timeout aborts what still runs, leaves no partial file, and logs it', async () => {
      const logs = new LogCapture();
      try {
        const { app, port, dataDir } = await e2e.start({ detector: 'itl4k', stopTimeout: 0.001 });
        const [exposer, monitor] = [await e2e.connect(port), await e2e.connect(port)];
        // The stop ends the integration; the 4k readout that follows takes far longer than 1 ms.
        const exposing = exposer.raw('exposure.expose 30 object').catch((error: Error) => error.message);
        await waitForState(monitor, 'EXPOSING');
        await monitor.close();
        await app.stop();
        expect(await exposing).to.match(/^ERROR .*aborted/);
        expect(filesIn(dataDir)).to.deep.equal([]);
        expect(await logs.waitFor('stop timeout: aborting the exposures still running')).to.include({ level: 'warn', exposures: 1 });
      } finally {
        logs.stop();
      }
    });

    it('lets a new server listen on the same port at once, and it exposes', async () => {
      const { app, port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      expect(await client.raw('exposure.expose 0.1')).to.equal('OK');
      await app.stop();

      const again = await startCameraServer({ ...DEFAULT_CONFIG, port, dataDir, detector: 'sta2k', workers: 1 });
      e2e.apps.push(again);
      expect(again.port).to.equal(port);
      const next = await e2e.connect(port);
      // The sequence number starts again at 1: itl.0001.fits is kept, and the next free number taken.
      expect(await next.raw('exposure.expose 0.1 object "after restart"')).to.equal('OK');
      expect(primaryHeader(join(dataDir, 'itl.0001.fits')).get('OBJECT')).to.not.equal('after restart');
      expect(primaryHeader(join(dataDir, 'itl.0002.fits')).get('OBJECT')).to.equal('after restart');
    });

    it('keeps the sequence number across a restart: with imageoverwrite 1 the image from before is not replaced, get_filename names a new file', async () => {
      const { app, port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      expect(await client.raw('exposure.expose 0.1 object "before restart"')).to.equal('OK');
      expect(await client.raw('set_par imageoverwrite 1')).to.equal('OK');
      await app.stop();

      const { port: again } = await e2e.start({ dataDir });
      const next = await e2e.connect(again);
      expect(await next.raw('exposure.get_filename')).to.equal(`OK ${join(dataDir, 'itl.0002.fits')}`);
      expect(await next.raw('exposure.expose 0.1 object "after restart"')).to.equal('OK');
      expect(primaryHeader(join(dataDir, 'itl.0001.fits')).get('OBJECT')).to.equal('before restart');
      expect(primaryHeader(join(dataDir, 'itl.0002.fits')).get('OBJECT')).to.equal('after restart');
    });
  });

  describe('the CLI process', () => {
    const servers: ScriptProcess[] = [];
    afterEach(async () => {
      for (const server of servers.splice(0)) {
        server.kill('SIGKILL');
        await server.finished;
      }
    });

    const spawnServer = async (dataDir: string, args: string[] = []): Promise<number> => {
      const { server, port } = await startServerProcess(['--data-dir', dataDir, '--detector', 'sta2k', ...args]);
      servers.push(server);
      return port;
    };

    it('on SIGTERM with exposures in flight: the expose gets its reply, both files are written, exit code 0', async () => {
      const dataDir = e2e.dir();
      const port = await spawnServer(dataDir, ['--cameras', '2']);
      const [one, two, monitor] = [await e2e.connect(port), await e2e.connect(port), await e2e.connect(port)];
      const exposing = one.raw('exposure.expose 0.3 object "sigterm"');
      expect(await two.raw('cam2.exposure.expose1 0.3 object "sigterm expose1"')).to.equal('OK');
      await waitForState(monitor, 'READOUT', 'cam2');
      await monitor.close();
      servers[0].kill('SIGTERM');

      expect(await exposing).to.equal('OK');
      const { code, stderr } = await servers[0].finished;
      expect(stderr).to.include('SIGTERM: stopping gracefully');
      expect(code).to.equal(0);
      expect(filesIn(dataDir)).to.deep.equal(['cam2.0001.fits', 'itl.0001.fits']);
      expect(existsSync(join(dataDir, LOCK_FILE))).to.equal(false);
      expectWholeSta2k(join(dataDir, 'itl.0001.fits'), 'sigterm');
      expectWholeSta2k(join(dataDir, 'cam2.0001.fits'), 'sigterm expose1');
    });

    it('on SIGTERM with an exposure paused: it is read out with the time it integrated, the stop is logged, exit code 0', async () => {
      const dataDir = e2e.dir();
      const port = await spawnServer(dataDir);
      const [exposer, other] = [await e2e.connect(port), await e2e.connect(port)];
      expect(await exposer.raw('exposure.expose1 30 object "paused at sigterm"')).to.equal('OK');
      await waitForState(other, 'EXPOSING');
      expect(await other.raw('exposure.pause')).to.equal('OK');
      servers[0].kill('SIGTERM');
      const { code, stderr } = await servers[0].finished;
      expect(code).to.equal(0);
      expect(stderr).to.include('exposure ended early, read out with the time integrated');
      expect(stderr).to.include('server stopped');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
      expectWholeSta2k(join(dataDir, 'itl.0001.fits'), 'paused at sigterm');
      expect(primaryHeader(join(dataDir, 'itl.0001.fits')).get('EXPTIME')).to.be.below(30);
    });

    it('a second SIGTERM while stopping forces exit at once, with a non-zero code, giving the data directory up', async () => {
      const dataDir = e2e.dir();
      const port = await spawnServer(dataDir);
      // A client that never closes its side holds a graceful stop up for the close grace period.
      const holder = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      await once(holder, 'connect');
      try {
        const server = servers[0];
        server.kill('SIGTERM');
        await server.waitForOutput(/SIGTERM: stopping gracefully/);
        await once(holder, 'end');
        expect(server.child.exitCode).to.equal(null);
        server.kill('SIGTERM');
        const { code, stderr } = await server.finished;
        expect(stderr).to.include('SIGTERM again: exiting without waiting');
        expect(code).to.not.equal(0);
        expect(existsSync(join(dataDir, LOCK_FILE))).to.equal(false);
      } finally {
        holder.destroy();
      }
    });
  });

  describe('access', () => {
    it('--allow 10.0.0.0/8 refuses a loopback client with ERROR access denied and closes it', async () => {
      const { port } = await e2e.start({ allow: ['10.0.0.0/8'] });
      const client = await LineClient.connect(port);
      client.send('exposure.expose 0.1\n');
      expect(await client.nextLine()).to.equal('ERROR access denied');
      await client.ended;
      expect(await client.nextLine()).to.equal(undefined);
    });

    it('--allow 127.0.0.0/8 serves a loopback client', async () => {
      const { port } = await e2e.start({ allow: ['10.0.0.0/8', '127.0.0.0/8'] });
      expect(await (await e2e.connect(port)).raw('tempcon.get_temperatures')).to.match(/^OK /);
    });

    it('exit is refused without --allow-exit', async () => {
      const { port } = await e2e.start();
      const client = await e2e.connect(port);
      expect(await client.raw('exit')).to.match(/^ERROR .*--allow-exit/);
      expect(await client.raw('echo still here')).to.equal('OK still here');
    });

    it('exit with --allow-exit from loopback stops the server, after the exposure in flight is written', async () => {
      const { app, port, dataDir } = await e2e.start({ allowExit: true });
      const [exposer, admin] = [await e2e.connect(port), await e2e.connect(port)];
      const exposing = exposer.raw('exposure.expose 0.2 object "before exit"');
      await waitForState(admin, 'EXPOSING');
      expect(await admin.raw('exit')).to.equal('OK');
      expect(await exposing).to.equal('OK');
      await app.stopped;
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
      expectWholeSta2k(join(dataDir, 'itl.0001.fits'), 'before exit');
      expect(await listening(port)).to.equal(false);
    });
  });
});
