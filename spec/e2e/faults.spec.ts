/**
 * End to end (issue 9, "Faults" and "Slow and dead clients"): aborts in every exposure state, an
 * unwritable or forbidden image folder, no silent overwrite, a worker that dies, and a client that
 * hangs up mid-exposure. Whatever goes wrong: a clear reply, no half-written file under its final
 * name and no temp file left, the camera back to NONE, and the next exposure works.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AzcamClient } from '../../lib/client.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import { Camera, registerCamera } from '../../lib/camera/camera.js';
import { presetGeometry } from '../../lib/readout/geometry.js';
import { PoolReadout } from '../../lib/readout/pool-readout.js';
import { CommandServer } from '../../lib/server/command-server.js';
import { DataDirInUseError } from '../../lib/errors.js';
import { LOCK_FILE } from '../../lib/storage/data-dir-lock.js';
import { ImageStore } from '../../lib/storage/image-store.js';
import { FaultyPool } from '../support/faulty-pool.js';
import { RESERVED_DESCRIPTORS } from '../../lib/server/descriptors.js';
import { startServerProcess } from '../scripts/processes.js';
import { LineClient } from '../support/line-client.js';
import { LogCapture } from '../support/log-capture.js';
import { E2E, filesIn, primaryHeader, status, tempFilesIn, waitForIdle, waitForState } from './support.js';

/** Expects the camera idle with `message`, nothing in the folder but `files`, and a working next exposure. */
async function expectRecovered(client: AzcamClient, dataDir: string, message: string, files: string[] = []): Promise<void> {
  expect(await waitForState(client, 'NONE')).to.include({ message });
  expect(filesIn(dataDir)).to.deep.equal(files);
  expect(await client.raw('exposure.expose 0.1 object "next"')).to.equal('OK');
  const next = join(dataDir, 'itl.0001.fits');
  expect(primaryHeader(next).get('OBJECT')).to.equal('next');
  expect(filesIn(dataDir)).to.deep.equal([...files, 'itl.0001.fits'].sort());
}

describe('e2e: faults', function () {
  this.timeout(30000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  describe('abort', () => {
    it('while EXPOSING: expose replies OK as azcam\'s does, no file, back to NONE, next exposure works', async () => {
      const { port, dataDir } = await e2e.start();
      const [exposer, monitor] = [await e2e.connect(port), await e2e.connect(port)];
      const exposing = exposer.raw('exposure.expose 30 object "long"');
      expect(await waitForState(monitor, 'EXPOSING')).to.include({ filename: join(dataDir, 'itl.0001.fits') });
      expect(await monitor.raw('exposure.abort')).to.equal('OK');
      expect(await exposing).to.equal('OK'); // azcam: an aborted expose returns normally; the status says aborted
      expect(await monitor.raw('get_par imagesequencenumber')).to.equal('OK 1'); // given back
      await expectRecovered(monitor, dataDir, 'aborted');
    });

    it('while PAUSED: expose replies OK as azcam\'s does, no file, back to NONE, next exposure works', async () => {
      const { port, dataDir } = await e2e.start();
      const [exposer, monitor] = [await e2e.connect(port), await e2e.connect(port)];
      const exposing = exposer.raw('exposure.expose 30');
      await waitForState(monitor, 'EXPOSING');
      expect(await monitor.raw('exposure.pause')).to.equal('OK');
      expect(await monitor.raw('exposure.get_exposureflag')).to.equal('OK 6 PAUSED');
      expect(await monitor.raw('exposure.abort')).to.equal('OK');
      expect(await exposing).to.equal('OK'); // azcam: an aborted expose returns normally; the status says aborted
      await expectRecovered(monitor, dataDir, 'aborted');
    });

    it('during READOUT of a 4k x 4k frame: the worker stops, no file and no temp file, back to NONE, next exposure works', async () => {
      const { port, dataDir } = await e2e.start({ detector: 'itl4k' });
      const [exposer, monitor] = [await e2e.connect(port), await e2e.connect(port)];
      const exposing = exposer.raw('exposure.expose 0.1');
      await waitForState(monitor, 'READOUT');
      expect(Number(await monitor.command('exposure.get_pixels_remaining'))).to.be.above(0);
      expect(await monitor.raw('exposure.abort')).to.equal('OK');
      expect(await exposing).to.equal('OK'); // azcam: an aborted expose returns normally; the status says aborted
      await expectRecovered(monitor, dataDir, 'aborted');
    });

    it('while WRITING (the image is complete): the reply and the file agree, and no partial file is ever left', async () => {
      const { port, dataDir } = await e2e.start({ detector: 'itl4k' });
      const [exposer, monitor] = [await e2e.connect(port), await e2e.connect(port)];
      const exposing = exposer.raw('exposure.expose 0.1');
      await waitForState(monitor, ['WRITING', 'NONE']); // WRITING is short; NONE if it was missed
      expect(await monitor.raw('exposure.abort')).to.equal('OK');
      expect(await exposing).to.equal('OK'); // azcam: an aborted expose returns normally
      const file = join(dataDir, 'itl.0001.fits');
      // Today the write completes; an abort that discarded the image would have to leave no file
      // and say so in the status. Either way, never a partial file under the final name.
      const { message } = await waitForIdle(monitor, file);
      expect(existsSync(file), message).to.equal(message !== 'aborted');
      if (message !== 'aborted') {
        const blocks = (bytes: number): number => Math.ceil(bytes / 2880) * 2880;
        expect(statSync(file).size).to.equal(2880 + 16 * (2880 + blocks(547 * 2064 * 2)));
        expect(primaryHeader(file).get('NEXTEND')).to.equal(16);
      }
      expect(tempFilesIn(dataDir)).to.deep.equal([]);
      expect(await monitor.raw('exposure.expose 0.1 object "next"')).to.equal('OK');
    });
  });

  describe('image folder', () => {
    it('that cannot be written (a file stands where the folder should be): clear ERROR, back to NONE, works once fixed', async () => {
      const { port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      const blocked = join(dataDir, 'night1');
      writeFileSync(blocked, 'not a folder');
      expect(await client.raw('set_par imagefolder night1')).to.equal('OK');
      const reply = await client.raw('exposure.expose 0.1');
      expect(reply).to.equal(`ERROR cannot write image ${join(blocked, 'itl.0001.fits')}: image folder is not a directory`);
      expect(await status(client)).to.include({ exposurestate: 'NONE', message: reply.slice('ERROR '.length) });
      expect(await client.raw('get_par imagesequencenumber')).to.equal('OK 1');
      expect(filesIn(dataDir)).to.deep.equal(['night1']);
      expect(readFileSync(blocked, 'utf8')).to.equal('not a folder');

      // A folder further down the file fails the same way.
      expect(await client.raw('set_par imagefolder night1/flats')).to.equal('OK');
      expect(await client.raw('exposure.expose 0.1')).to.match(/^ERROR cannot write image .*: image folder is not a directory$/);

      rmSync(blocked);
      mkdirSync(blocked);
      expect(await client.raw('set_par imagefolder night1')).to.equal('OK');
      expect(await client.raw('exposure.expose 0.1 object "fixed"')).to.equal('OK');
      expect(filesIn(blocked)).to.deep.equal(['itl.0001.fits']);
      expect(primaryHeader(join(blocked, 'itl.0001.fits')).get('OBJECT')).to.equal('fixed');
    });

    it('outside --data-dir is refused, by set_par and by set_filename; images stay inside it', async () => {
      const parent = e2e.dir();
      const dataDir = join(parent, 'data');
      const { port } = await e2e.start({ dataDir });
      const client = await e2e.connect(port);
      for (const folder of ['/etc', '../x', 'a/../../x', parent, '/tmp', `${dataDir}x`, '..']) {
        expect(await client.raw(`set_par imagefolder ${folder}`), folder).to.equal(
          `ERROR image folder must be inside the data directory ${dataDir}: ${folder}`,
        );
      }
      expect(await client.raw('parameters.set_par imagefolder /etc')).to.match(/^ERROR image folder must be inside/);
      for (const path of ['/etc/passwd', '../escape.fits', '/tmp/x.fits']) {
        expect(await client.raw(`exposure.set_filename ${path}`), path).to.match(/^ERROR image folder must be inside the data directory/);
      }
      expect(await client.raw('set_par imageroot ../x')).to.match(/^ERROR invalid image root/);
      expect(await client.raw('get_par imagefolder')).to.equal(`OK ${dataDir}`);
      expect(await client.raw('exposure.get_filename')).to.equal(`OK ${join(dataDir, 'itl.0001.fits')}`);

      // Inside is fine, relative or absolute.
      expect(await client.raw('set_par imagefolder night2/../night1')).to.equal('OK');
      expect(await client.raw('get_par imagefolder')).to.equal(`OK ${join(dataDir, 'night1')}`);
      expect(await client.raw(`exposure.set_filename ${join(dataDir, 'named.fits')}`)).to.equal('OK');
      expect(await client.raw('exposure.expose 0.1')).to.equal('OK');
      expect(filesIn(parent)).to.deep.equal(['data']);
      expect(filesIn(dataDir)).to.deep.equal(['named0001.fits']); // azcam's set_filename: the root only
    });

    it('reached through a symbolic link that leads outside --data-dir is refused; nothing is written or created there', async () => {
      const outside = e2e.dir();
      const { port, dataDir } = await e2e.start();
      symlinkSync(outside, join(dataDir, 'evil'));
      const client = await e2e.connect(port);
      for (const folder of ['evil', 'evil/new']) {
        expect(await client.raw(`set_par imagefolder ${folder}`), folder).to.equal(`ERROR image folder must be inside the data directory ${dataDir}: ${folder}`);
      }
      expect(await client.raw('exposure.set_filename evil/x.fits')).to.match(/^ERROR image folder must be inside the data directory/);
      // A folder accepted while it was inside, then swapped for a link: the write is refused.
      expect(await client.raw('set_par imagefolder night1')).to.equal('OK');
      symlinkSync(outside, join(dataDir, 'night1'));
      expect(await client.raw('exposure.expose 0 zero')).to.match(/^ERROR .*image folder must be inside the data directory/);
      expect(filesIn(outside)).to.deep.equal([]);
      expect(await client.raw('set_par imagefolder ..foo')).to.equal('OK');
      expect(await client.raw('exposure.expose 0 zero')).to.equal('OK');
      expect(filesIn(join(dataDir, '..foo'))).to.deep.equal(['itl.0001.fits']);
    });
  });

  describe('temporary files left by a killed server', () => {
    it('are removed at start-up (ours only, in every folder) and the removal is logged; the dead server\'s lock is taken over', async () => {
      const dataDir = e2e.dir();
      mkdirSync(join(dataDir, 'night1'));
      const left = ['.itl.0002.fits.0123456789ab.tmp', 'night1/.itl.0007.fits.abcdef012345.tmp'];
      for (const name of [...left, 'itl.0001.fits', 'notes.tmp']) writeFileSync(join(dataDir, name), 'x');
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
      writeFileSync(join(dataDir, LOCK_FILE), `${deadPid}\n`);
      const logs = new LogCapture();
      try {
        await e2e.start({ dataDir });
        expect(await logs.waitFor('taking over the data directory from a server no longer running')).to.include({ pid: deadPid });
        expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).to.equal(`${process.pid}\n`);
        const entry = await logs.waitFor('removed temporary files left by an interrupted write');
        expect(entry).to.include({ level: 'warn', count: 2 });
        expect((entry.files as string[]).sort()).to.deep.equal(left.map((name) => join(dataDir, name)).sort());
      } finally {
        logs.stop();
      }
      expect(tempFilesIn(dataDir)).to.deep.equal([]);
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits', 'night1', 'notes.tmp']);
    });
  });

  describe('a second server on a data directory in use', () => {
    it('is refused before it touches anything: the running server\'s temporary file and lock stay, and it exposes on', async () => {
      const { app, port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      const writing = join(dataDir, '.itl.0001.fits.0123456789ab.tmp');
      writeFileSync(writing, 'being written');
      const logs = new LogCapture();
      try {
        const failure = await e2e.start({ dataDir }).then(() => undefined, (error: unknown) => error);
        expect(failure).to.be.instanceOf(DataDirInUseError);
        expect((failure as Error).message).to.equal(`data directory ${dataDir} is in use by another server (pid ${process.pid})`);
        expect(logs.entries.map((entry) => entry.message)).to.not.include('removed temporary files left by an interrupted write');
      } finally {
        logs.stop();
      }
      expect(readFileSync(writing, 'utf8')).to.equal('being written');
      expect(await client.raw('exposure.expose 0.1')).to.equal('OK');
      expect(existsSync(join(dataDir, 'itl.0001.fits'))).to.equal(true);
      await app.stop();
      expect(existsSync(join(dataDir, LOCK_FILE))).to.equal(false);
    });
  });

  describe('more clients than file descriptors (ulimit -n 256)', () => {
    it('refuses the excess with ERROR too many connections, keeps descriptors for the image, and the expose writes it', async () => {
      const dataDir = e2e.dir();
      const { server, port } = await startServerProcess(['--data-dir', dataDir, '--detector', 'sta2k'], ['sh', '-c', 'ulimit -n 256 && exec "$0" "$@"']);
      const clients: LineClient[] = [];
      try {
        for (let i = 0; i < 300; i++) clients.push(await LineClient.connect(port));
        const first = await Promise.all(clients.map((c) => c.command('echo hi')));
        const served = clients.filter((_, i) => first[i] === 'OK hi');
        expect(served.length).to.equal(256 - RESERVED_DESCRIPTORS);
        expect(first.filter((reply) => reply === 'ERROR too many connections').length).to.equal(300 - served.length);
        expect(await served[0].command('exposure.expose 0 zero')).to.equal('OK');
        expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
        expect(server.stderr).to.include('fewer connections than --max-connections');
      } finally {
        for (const c of clients) c.socket.destroy();
        server.kill('SIGKILL');
        await server.finished;
      }
    });
  });

  describe('two cameras given the same image root', () => {
    it('never claim the same file: each round both images are written, under names of their own', async () => {
      const { port, dataDir } = await e2e.start({ cameras: 2 });
      const [one, two] = [await e2e.connect(port), await e2e.connect(port)];
      expect(await two.raw('cam2.parameters.set_par imageroot itl.')).to.equal('OK');
      for (let round = 0; round < 3; round++) {
        expect(await Promise.all([one.raw('exposure.expose 0.1'), two.raw('cam2.exposure.expose 0.1')])).to.deep.equal(['OK', 'OK']);
      }
      const images = filesIn(dataDir).filter((name) => name.endsWith('.fits'));
      expect(images).to.deep.equal(['itl.0001.fits', 'itl.0002.fits', 'itl.0003.fits', 'itl.0004.fits', 'itl.0005.fits', 'itl.0006.fits']);
    });

    it('with auto-increment off, the second camera gets a clear ERROR while the first one holds the name', async () => {
      const { port } = await e2e.start({ cameras: 2 });
      const [one, two] = [await e2e.connect(port), await e2e.connect(port)];
      for (const prefix of ['', 'cam2.']) {
        expect(await two.raw(`${prefix}parameters.set_par imageroot same.`)).to.equal('OK');
        expect(await two.raw(`${prefix}parameters.set_par imageautoincrementsequencenumber 0`)).to.equal('OK');
      }
      expect(await one.raw('exposure.expose1 30')).to.equal('OK');
      expect(await two.raw('cam2.exposure.expose 0')).to.match(/^ERROR image file \S+same\.0001\.fits is claimed by another exposure$/);
      expect(await one.raw('exposure.abort')).to.equal('OK');
    });
  });

  describe('imageoverwrite (off by default)', () => {
    it('refuses to expose onto an existing file name with ERROR, leaving the old file intact', async () => {
      const { port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      const file = join(dataDir, 'itl.0001.fits');
      writeFileSync(file, 'precious old image');
      expect(await client.raw('get_par imageoverwrite')).to.equal('OK 0');
      expect(await client.raw('set_par imageautoincrementsequencenumber 0')).to.equal('OK');
      expect(await client.raw('exposure.expose 0.1')).to.equal(`ERROR image file already exists: ${file}`);
      expect(readFileSync(file, 'utf8')).to.equal('precious old image');
      expect(await status(client)).to.include({ exposurestate: 'NONE' });
      expect(await client.raw('get_par imagesequencenumber')).to.equal('OK 1');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);

      expect(await client.raw('set_par imageoverwrite 1')).to.equal('OK');
      expect(await client.raw('exposure.expose 0.1 object "replaced"')).to.equal('OK');
      expect(primaryHeader(file).get('OBJECT')).to.equal('replaced');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
    });

    it('with auto-increment on (the default), takes the next free sequence number instead', async () => {
      const { port, dataDir } = await e2e.start();
      const client = await e2e.connect(port);
      writeFileSync(join(dataDir, 'itl.0001.fits'), 'precious old image');
      expect(await client.raw('exposure.expose 0.1 object "next free"')).to.equal('OK');
      expect(readFileSync(join(dataDir, 'itl.0001.fits'), 'utf8')).to.equal('precious old image');
      expect(primaryHeader(join(dataDir, 'itl.0002.fits')).get('OBJECT')).to.equal('next free');
      expect(await client.raw('get_par imagesequencenumber')).to.equal('OK 3');
    });

    it('does not clobber a file that appears under the name while the exposure runs', async () => {
      const { port, dataDir } = await e2e.start();
      const [exposer, monitor] = [await e2e.connect(port), await e2e.connect(port)];
      const file = join(dataDir, 'itl.0001.fits');
      const exposing = exposer.raw('exposure.expose 0.3');
      await waitForState(monitor, 'EXPOSING');
      writeFileSync(file, 'written meanwhile');
      expect(await exposing).to.equal(`ERROR cannot write image ${file}: file exists (set imageoverwrite to replace it)`);
      expect(readFileSync(file, 'utf8')).to.equal('written meanwhile');
      expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits']);
      expect(await status(monitor)).to.include({ exposurestate: 'NONE' });
    });
  });

  describe('a readout worker that dies or throws', () => {
    let pool: FaultyPool;
    let server: CommandServer;
    let dataDir: string;
    let client: AzcamClient;

    // The app's assembly (lib/app.ts) with the pool swapped for the faulty one.
    beforeEach(async () => {
      dataDir = e2e.dir();
      const store = new ImageStore(dataDir);
      pool = new FaultyPool({ root: store.root, threads: 1, maxQueue: 2 });
      const camera = new Camera({
        detector: presetGeometry('sta2k'),
        readout: new PoolReadout(pool),
        name: 'cam1',
        imageFolder: store.root,
        resolveImageFolder: (folder, subject) => store.resolveFolder(folder, subject),
      });
      server = new CommandServer(registerCamera(new ToolRegistry(), camera), { port: 0 });
      client = await e2e.connect(await server.start());
    });
    afterEach(async () => {
      await client.close();
      await server.stop();
      await pool.close();
    });

    for (const fault of ['exit', 'throw'] as const) {
      it(`(${fault}) gives that expose an ERROR, leaves no file, and the next readout on the pool works`, async () => {
        pool.failNext(fault);
        const reply = await client.raw('exposure.expose 0.1');
        expect(reply).to.match(fault === 'exit' ? /^ERROR readout failed: .*exit/ : /^ERROR readout failed: injected worker fault$/);
        expect(await status(client)).to.include({ exposurestate: 'NONE', message: reply.slice('ERROR '.length) });
        expect(filesIn(dataDir)).to.deep.equal([]);
        expect(await client.raw('get_par imagesequencenumber')).to.equal('OK 1');
        await expectRecovered(client, dataDir, reply.slice('ERROR '.length));
      });
    }
  });

  describe('a client that disconnects in the middle of an exposure', () => {
    it('does not abort it: the file is written, the lost reply is logged, and the server carries on', async () => {
      const recorder = new LogCapture();
      try {
        const { port, dataDir } = await e2e.start();
        const monitor = await e2e.connect(port);
        const file = join(dataDir, 'itl.0001.fits');
        const leaver = await LineClient.connect(port);
        leaver.send('exposure.expose 0.3 object "orphan"\n');
        await waitForState(monitor, 'EXPOSING');
        leaver.close();
        await leaver.ended;

        expect(await waitForIdle(monitor, file)).to.include({ message: '' });
        expect(primaryHeader(file).get('OBJECT')).to.equal('orphan');
        expect(tempFilesIn(dataDir)).to.deep.equal([]);
        // The reply is logged with its command: as lost if the server already saw the socket
        // close, or as sent after the client closed its side (the socket then resets).
        const command = 'exposure.expose 0.3 object "orphan"';
        const lost = await recorder.waitFor(['client gone, reply lost', 'reply after client closed its side'], { command });
        expect(lost).to.include({ reply: 'OK' });
        expect(await monitor.raw('exposure.expose 0.1 object "after"')).to.equal('OK');
        expect(await monitor.raw('tempcon.get_temperatures')).to.match(/^OK /);
      } finally {
        recorder.stop();
      }
    });
  });
});
