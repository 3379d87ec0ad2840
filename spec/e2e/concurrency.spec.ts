/**
 * End to end: readouts in flight at once — several cameras sharing the pool, a camera taking its
 * next exposure while the last one is still processed, and a full pool queue refusing work.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOkReply } from '../../lib/protocol/reply.js';
import { E2E, filesIn, primaryHeader, readFitsFile, status, tempFilesIn, tool, waitForIdle, waitForState } from './support.js';

describe('e2e: concurrent readouts', function () {
  this.timeout(30000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  it('with --cameras 2, both cameras expose at once and both files are correct', async () => {
    const { port, dataDir } = await e2e.start({ cameras: 2, workers: 2 });
    const [one, two, poller] = [await e2e.connect(port), await e2e.connect(port), await e2e.connect(port)];
    expect(await two.raw('cam2.exposure.get_filename')).to.equal(`OK ${join(dataDir, 'cam2.0001.fits')}`);

    let done = false;
    let temperatures = 0;
    const polling = (async () => {
      while (!done) {
        expect(await poller.raw('tempcon.get_temperatures')).to.match(/^OK -?\d/);
        temperatures++;
      }
    })();
    const replies = await Promise.all([one.raw('exposure.expose 0.1 object "camera one"'), two.raw('cam2.exposure.expose 0.2 dark "camera two"')]);
    done = true;
    await polling;
    expect(replies).to.deep.equal(['OK', 'OK']);
    expect(temperatures).to.be.above(0);

    expect(filesIn(dataDir)).to.deep.equal(['cam2.0001.fits', 'itl.0001.fits']);
    const first = join(dataDir, 'itl.0001.fits');
    const second = join(dataDir, 'cam2.0001.fits');
    expect(Object.fromEntries(primaryHeader(first))).to.include({ OBJECT: 'camera one', IMAGETYP: 'object', EXPTIME: 0.1, NEXTEND: 1 });
    expect(Object.fromEntries(primaryHeader(second))).to.include({ OBJECT: 'camera two', IMAGETYP: 'dark', EXPTIME: 0.2, NEXTEND: 1 });
    for (const file of [first, second]) {
      const [, image] = readFitsFile(file);
      expect([image.width, image.height]).to.deep.equal([2084, 2048]);
    }
    // Each camera has its own seed: two different images, not one written twice.
    expect(readFileSync(first).subarray(-100_000).equals(readFileSync(second).subarray(-100_000))).to.equal(false);
    // Each camera keeps its own sequence.
    expect(await one.raw('get_par imagesequencenumber')).to.equal('OK 2');
    expect(await two.raw('cam2.parameters.get_par imagesequencenumber')).to.equal('OK 2');
  });

  it('takes the next exposure on a camera once the last readout is handed to the pool; each file keeps its own header', async () => {
    // A 4k x 4k 16-amp readout on one worker: long enough to start another exposure meanwhile.
    const { port, dataDir } = await e2e.start({ detector: 'itl4k', workers: 1 });
    const [first, second, monitor] = [await e2e.connect(port), await e2e.connect(port), await e2e.connect(port)];
    const firstFile = join(dataDir, 'itl.0001.fits');
    const secondFile = join(dataDir, 'itl.0002.fits');

    let firstReplied = false;
    const firstReply = first.raw('exposure.expose 0.1 object "first frame"').finally(() => (firstReplied = true));
    // READOUT means the exposure has handed its stream to the pool (in the same turn), so the
    // camera is free; retry anyway, bounded, should the handoff come a moment later.
    expect(await waitForState(monitor, 'READOUT')).to.include({ filename: firstFile });
    let accepted: string | undefined;
    for (let attempt = 0; attempt < 200 && accepted === undefined; attempt++) {
      const reply = await second.raw('exposure.expose1 0.1 object "second frame"');
      if (reply === 'OK') accepted = reply;
      else expect(reply).to.equal('ERROR exposure in progress');
    }
    expect(accepted, 'second exposure accepted').to.equal('OK');
    expect(firstReplied, 'the first exposure was still being processed').to.equal(false);
    expect(await status(monitor)).to.include({ filename: secondFile });
    expect(await monitor.raw('get_par imagetitle')).to.equal('OK second frame');

    expect(await firstReply).to.equal('OK');
    expect(await waitForIdle(monitor, secondFile)).to.include({ message: '' });
    expect(filesIn(dataDir)).to.deep.equal(['itl.0001.fits', 'itl.0002.fits']);
    expect(primaryHeader(firstFile).get('OBJECT')).to.equal('first frame');
    expect(primaryHeader(secondFile).get('OBJECT')).to.equal('second frame');
    expect(primaryHeader(firstFile).get('DATE-OBS')).to.not.equal(primaryHeader(secondFile).get('DATE-OBS'));
    expect(await monitor.raw('get_par imagesequencenumber')).to.equal('OK 3');
  });

  for (const maxQueue of [0, 1]) {
    it(`with one worker and maxQueue ${maxQueue}, refuses readouts past the queue with ERROR server busy: one reply each, a file for every OK`, async () => {
      const cameras = 4;
      const { port, dataDir } = await e2e.start({ cameras, workers: 1, maxQueue });
      const clients = await Promise.all(Array.from({ length: cameras }, () => e2e.connect(port)));
      const prefix = (n: number): string => (n === 1 ? '' : `cam${n}`);
      const fileOf = (n: number): string => join(dataDir, n === 1 ? 'itl.0001.fits' : `cam${n}.0001.fits`);

      const replies = await Promise.all(clients.map((client, i) => client.raw(`${tool(prefix(i + 1), 'exposure')}.expose 0.1 object "busy ${i + 1}"`)));
      // Exactly one reply each: the next line on every connection answers the next command.
      expect(await Promise.all(clients.map((client, i) => client.raw(`echo after ${i}`)))).to.deep.equal(clients.map((_, i) => `OK after ${i}`));

      for (const reply of replies) expect(reply).to.be.oneOf(['OK', 'ERROR server busy']);
      const ok = replies.filter((reply) => reply === 'OK').length;
      expect(ok, replies.join(' | ')).to.be.within(1, 1 + maxQueue);
      expect(cameras - ok, 'refused').to.be.at.least(1);
      for (let n = 1; n <= cameras; n++) {
        const reply = replies[n - 1];
        expect(existsSync(fileOf(n)), `camera ${n}: ${reply}`).to.equal(reply === 'OK');
        if (reply === 'OK') expect(primaryHeader(fileOf(n)).get('OBJECT')).to.equal(`busy ${n}`);
        const camera = prefix(n);
        expect(await status(clients[n - 1], camera)).to.include({ exposurestate: 'NONE', message: reply === 'OK' ? '' : 'server busy' });
        // A refused exposure gives its sequence number back.
        expect(await clients[n - 1].raw(`${tool(camera, 'parameters')}.get_par imagesequencenumber`)).to.equal(reply === 'OK' ? 'OK 2' : 'OK 1');
      }
      expect(tempFilesIn(dataDir)).to.deep.equal([]);

      // Once the pool is free again, a refused camera exposes normally.
      const refused = replies.findIndex((reply) => !isOkReply(reply)) + 1;
      expect(await clients[refused - 1].raw(`${tool(prefix(refused), 'exposure')}.expose 0.1 object "retry"`)).to.equal('OK');
      expect(primaryHeader(fileOf(refused)).get('OBJECT')).to.equal('retry');
    });
  }
});
