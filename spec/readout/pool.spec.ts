import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AbortedError, InvalidArgumentError, PermissionError, ReadoutError, ServerBusyError, ShuttingDownError } from '../../lib/errors.js';
import { isWriting, readProgress, requestAbort, type ReadoutControl } from '../../lib/readout/control.js';
import { FitsFloat } from '../../lib/readout/fits.js';
import { fullRoi, makeGeometry, presetGeometry, rawPixelCount, type DetectorGeometry } from '../../lib/readout/geometry.js';
import { createReadoutControl, ReadoutPool, type ReadoutOutput } from '../../lib/readout/pool.js';
import type { ReadoutTask } from '../../lib/readout/process.js';
import { readFits } from './read-fits.js';

const SMALL = makeGeometry({ name: 'small', width: 64, height: 32, amps: 4, prescan: 2, overscanCols: 8, overscanRows: 2 });
const BIG = presetGeometry('itl4k');

function task(geometry: DetectorGeometry = SMALL, extra: Partial<ReadoutTask> = {}): ReadoutTask {
  return {
    geometry,
    roi: fullRoi(geometry),
    simulation: { imageType: 'object', exposureTime: 1, seed: 1 },
    processing: { biasSubtraction: 'row', format: 'mef' },
    cards: [{ key: 'EXPTIME', value: new FitsFloat(1), comment: 'seconds' }],
    ...extra,
  };
}

/** Resolves once the worker has reported progress (bounded: rejects after `ms`). */
async function started(control: ReadoutControl, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (readProgress(control).done === 0) {
    if (Date.now() > deadline) throw new Error('readout never started');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The rejection of a promise (fails if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('readout/pool', function () {
  this.timeout(30000);
  let pool: ReadoutPool;

  describe('with two threads', () => {
    before(() => {
      pool = new ReadoutPool({ threads: 2, maxQueue: 8 });
    });
    after(() => pool.close());

    it('processes a readout on a worker and returns the FITS bytes by transfer', async () => {
      const result = await pool.run(task());
      expect(result.fits.byteLength).to.equal(result.fits.buffer.byteLength);
      expect(Buffer.from(result.fits.subarray(0, 30)).toString('latin1')).to.equal('SIMPLE  =                    T');
      const hdus = readFits(result.fits);
      expect(hdus).to.have.length(5);
      expect(hdus[0].cards.get('NEXTEND')).to.equal(4);
      // the FitsFloat card survived the trip to the worker
      const card = Buffer.from(result.fits).toString('latin1').match(/EXPTIME =\s+(\S+)/);
      expect(card?.[1]).to.equal('1.0');
      expect(result.stats).to.have.length(4);
      expect(pool.threads).to.equal(2);
    });

    it('takes a real controller stream by transfer', async () => {
      const raw = new Uint16Array(rawPixelCount(SMALL)).fill(1000);
      const result = await pool.run(task(SMALL, { raw, processing: { biasSubtraction: 'none', format: 'assembled' } }));
      expect(raw.byteLength).to.equal(0); // detached: moved, not copied
      const [hdu] = readFits(result.fits);
      expect([hdu.width, hdu.height, hdu.pixels[0]]).to.deep.equal([64, 32, 1000]);
    });

    it('rejects an invalid task at once with InvalidArgumentError', async () => {
      const error = await failure(pool.run(task(SMALL, { roi: { ...fullRoi(SMALL), colBin: 0 } })));
      expect(error).to.be.instanceOf(InvalidArgumentError);
    });

    it('stops a readout promptly when aborted mid-way, then works again', async () => {
      const control = createReadoutControl(rawPixelCount(BIG));
      const running = pool.run(task(BIG), control);
      await started(control);
      const progress = readProgress(control);
      expect(progress.done).to.be.above(0);
      expect(progress.done).to.be.below(progress.total);
      const abortedAt = performance.now();
      requestAbort(control);
      const error = await failure(running);
      const latency = performance.now() - abortedAt;
      expect(error).to.be.instanceOf(AbortedError);
      expect(error.message).to.equal('readout aborted');
      expect(latency).to.be.below(1000);
      expect((await pool.run(task())).stats).to.have.length(4);
    });

    it('gives AbortedError for a readout aborted before it started', async () => {
      const control = createReadoutControl(rawPixelCount(SMALL));
      requestAbort(control);
      expect(await failure(pool.run(task(), control))).to.be.instanceOf(AbortedError);
    });

    it('turns a worker exception into ReadoutError, and the next readout works', async () => {
      const error = await failure(pool.run(task(SMALL, { fault: 'throw' })));
      expect(error).to.be.instanceOf(ReadoutError);
      expect(error.message).to.equal('readout failed: injected worker fault');
      expect((await pool.run(task())).stats).to.have.length(4);
    });

    it('turns a worker that dies into ReadoutError, and the pool replaces it', async () => {
      const error = await failure(pool.run(task(SMALL, { fault: 'exit' })));
      expect(error).to.be.instanceOf(ReadoutError);
      expect(error.message).to.match(/^readout failed: .*exited/);
      const results = await Promise.all([pool.run(task()), pool.run(task()), pool.run(task())]);
      expect(results.map((r) => r.stats.length)).to.deep.equal([4, 4, 4]);
    });
  });

  describe('writing the file', () => {
    let root: string;
    before(() => {
      pool = new ReadoutPool({ threads: 1 });
    });
    after(() => pool.close());
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'pool-write-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const output = (name: string, overwrite = false): ReadoutOutput => ({ root, filename: join(root, name), overwrite });
    const seeded = (seed: number): ReadoutTask => task(SMALL, { simulation: { imageType: 'object', exposureTime: 1, seed } });

    it('has the worker write the file and send back only stats and timings', async () => {
      const control = createReadoutControl(0);
      const written = await pool.submit(seeded(1), output('night1/a.fits'), control);
      const file = readFileSync(join(root, 'night1/a.fits'));
      expect(file.equals(Buffer.from((await pool.run(seeded(1))).fits))).to.equal(true);
      expect(written).to.not.have.property('fits');
      expect(written.bytes).to.equal(file.length);
      expect(written.stats).to.have.length(4);
      expect(written.timings.writeMs).to.be.above(0);
      expect(isWriting(control)).to.equal(true);
      expect(readdirSync(join(root, 'night1'))).to.deep.equal(['a.fits']);
    });

    it('writes each file right while reusing its file buffer', async () => {
      await pool.submit(task(BIG), output('big.fits'));
      for (const seed of [2, 3]) await pool.submit(seeded(seed), output(`${seed}.fits`));
      for (const seed of [2, 3]) {
        expect(readFileSync(join(root, `${seed}.fits`)).equals(Buffer.from((await pool.run(seeded(seed))).fits)), `seed ${seed}`).to.equal(true);
      }
      expect(readdirSync(root).sort()).to.deep.equal(['2.fits', '3.fits', 'big.fits']);
    });

    it("gives the image store's errors with their class and message, leaving no file", async () => {
      writeFileSync(join(root, 'taken.fits'), 'old');
      const exists = await failure(pool.submit(task(), output('taken.fits')));
      expect(exists).to.be.instanceOf(ReadoutError);
      expect(exists.message).to.equal(`cannot write image ${join(root, 'taken.fits')}: file exists (set imageoverwrite to replace it)`);
      const outside = await failure(pool.submit(task(), output('../escape.fits')));
      expect(outside).to.be.instanceOf(PermissionError);
      expect(outside.message).to.equal(`image folder must be inside the data directory ${root}: ${dirname(root)}`);
      expect(readdirSync(root)).to.deep.equal(['taken.fits']);
      expect(readFileSync(join(root, 'taken.fits'), 'utf8')).to.equal('old');
    });

    it('writes nothing for a readout aborted before it started', async () => {
      const control = createReadoutControl(0);
      requestAbort(control);
      expect(await failure(pool.submit(task(), output('a.fits'), control))).to.be.instanceOf(AbortedError);
      expect(readdirSync(root)).to.deep.equal([]);
    });

    it('leaves no file, and no temp file, when aborted just before the file gets its name (inline)', async () => {
      const inline = new ReadoutPool({ inline: true });
      try {
        const control = createReadoutControl(0);
        const writing = inline.submit(task(), output('a.fits'), control);
        // Inline, submit returns as the write begins: the abort flag is next checked before the commit.
        expect(isWriting(control)).to.equal(true);
        requestAbort(control);
        expect(await failure(writing)).to.be.instanceOf(AbortedError);
        expect(readdirSync(root)).to.deep.equal([]);
        await inline.submit(task(), output('a.fits'));
        expect(readFileSync(join(root, 'a.fits')).equals(Buffer.from((await pool.run(task())).fits))).to.equal(true);
      } finally {
        await inline.close();
      }
    });
  });

  describe('with one thread and a queue of one', () => {
    before(() => {
      pool = new ReadoutPool({ threads: 1, maxQueue: 1 });
    });
    after(() => pool.close());

    it('refuses a readout at once with ServerBusyError when the queue is full', async () => {
      const controls = [createReadoutControl(0), createReadoutControl(0)];
      const first = pool.run(task(BIG), controls[0]);
      const second = pool.run(task(BIG), controls[1]);
      expect([pool.running, pool.queueSize]).to.deep.equal([1, 1]);
      let settled = false;
      const third = pool.run(task(BIG)).finally(() => (settled = true));
      await Promise.resolve();
      await Promise.resolve();
      expect(settled).to.equal(true); // rejected without waiting for the others
      expect(await failure(third)).to.be.instanceOf(ServerBusyError);
      controls.forEach(requestAbort);
      const errors = await Promise.all([failure(first), failure(second)]);
      expect(errors.every((e) => e instanceof AbortedError)).to.equal(true);
      expect([pool.running, pool.queueSize]).to.deep.equal([0, 0]);
    });
  });

  describe('with no queue', () => {
    it('takes as many readouts as it has threads', async () => {
      const unqueued = new ReadoutPool({ threads: 1, maxQueue: 0 });
      try {
        const control = createReadoutControl(0);
        const first = unqueued.run(task(BIG), control);
        expect(await failure(unqueued.run(task()))).to.be.instanceOf(ServerBusyError);
        requestAbort(control);
        expect(await failure(first)).to.be.instanceOf(AbortedError);
        expect((await unqueued.run(task())).stats).to.have.length(4);
      } finally {
        await unqueued.close();
      }
    });
  });

  describe('closing', () => {
    it('finishes accepted readouts, then refuses new ones', async () => {
      const closing = new ReadoutPool({ threads: 1 });
      const running = closing.run(task());
      await Promise.all([closing.close(), closing.close()]);
      expect((await running).stats).to.have.length(4);
      expect(await failure(closing.run(task()))).to.be.instanceOf(ShuttingDownError);
    });
  });

  describe('inline', () => {
    it('runs on the calling thread with the same results', async () => {
      const inline = new ReadoutPool({ inline: true });
      const threaded = new ReadoutPool({ threads: 1 });
      try {
        const [a, b] = await Promise.all([inline.run(task()), threaded.run(task())]);
        expect(Buffer.from(a.fits).equals(Buffer.from(b.fits))).to.equal(true);
        const control = createReadoutControl(0);
        requestAbort(control);
        expect(await failure(inline.run(task(), control))).to.be.instanceOf(AbortedError);
      } finally {
        await Promise.all([inline.close(), threaded.close()]);
      }
    });
  });
});
