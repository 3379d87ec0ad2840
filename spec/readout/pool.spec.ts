import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AbortedError, CommandError, InvalidArgumentError, ReadoutError, ServerBusyError, ShuttingDownError } from '../../lib/errors.js';
import { isWriting, readProgress, requestAbort, type ReadoutControl } from '../../lib/readout/control.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { fullRoi, makeGeometry, presetGeometry, rawPixelCount, type DetectorGeometry } from '../../lib/readout/geometry.js';
import { createReadoutControl, ReadoutPool } from '../../lib/readout/pool.js';
import { processReadout } from '../../lib/readout/process.js';
import type { ReadoutRequest } from '../../lib/readout/request.js';
import { FaultyPool } from '../support/faulty-pool.js';
import { HeldThreads } from '../support/held-threads.js';
import { readFits } from '../support/read-fits.js';

const UNLOADABLE_WORKER = new URL('../support/unloadable-readout-worker.js', import.meta.url).href;
const HELD_WORKER = new URL('../support/held-readout-worker.js', import.meta.url).href;
const SMALL = makeGeometry({ name: 'small', width: 64, height: 32, amps: 4, prescan: 2, overscanCols: 8, overscanRows: 2 });
const BIG = presetGeometry('itl4k');

let root: string;
let files = 0;

/** A request for a file of its own in `root` (or `name` there), unless `extra` says otherwise. */
function request(geometry: DetectorGeometry = SMALL, extra: Partial<ReadoutRequest> = {}): ReadoutRequest {
  return {
    camera: 'spec',
    geometry,
    roi: fullRoi(geometry),
    simulation: { imageType: 'object', exposureTime: 1, seed: 1 },
    processing: { biasSubtraction: 'row', format: 'mef' },
    cards: [{ key: 'EXPTIME', value: fitsFloat(1), comment: 'seconds' }],
    filename: join(root, `${++files}.fits`),
    overwrite: false,
    ...extra,
  };
}

/** The file a request wrote. */
const written = (req: ReadoutRequest): Buffer => readFileSync(req.filename);
/** The bytes the same request gives processed on this thread. */
const expected = (req: ReadoutRequest): Buffer => Buffer.from(processReadout(req).fits);

/** Resolves once `condition` holds, checked each turn of the event loop (bounded: rejects after `ms`). */
async function until(condition: () => boolean, what: string, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves once the worker has reported progress. */
const started = (control: ReadoutControl): Promise<void> => until(() => readProgress(control).done > 0, 'the readout started');

/** What the pool's gauges read now. */
const gauges = ({ running, queueSize, busyThreads }: ReadoutPool) => ({ running, queueSize, busyThreads });

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

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pool-spec-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('with two threads', () => {
    before(() => {
      pool = new ReadoutPool({ root: tmpdir(), threads: 2, maxQueue: 8 });
    });
    after(() => pool.close());

    it('processes a readout on a worker, which writes the file and sends back only stats and timings', async () => {
      const req = request();
      const control = createReadoutControl(0);
      const result = await pool.submit(req, control);
      const file = written(req);
      expect(file.equals(expected(req))).to.equal(true);
      expect(result).to.not.have.property('fits');
      expect(result.bytes).to.equal(file.length);
      expect(result.stats).to.have.length(4);
      expect(result.timings.writeMs).to.be.above(0);
      expect(isWriting(control)).to.equal(true);
      const hdus = readFits(file);
      expect(hdus).to.have.length(5);
      expect(hdus[0].cards.get('NEXTEND')).to.equal(4);
      // the float card crossed to the worker as a float
      expect(file.toString('latin1').match(/EXPTIME =\s+(\S+)/)?.[1]).to.equal('1.0');
      expect(pool.threads).to.equal(2);
    });

    it('takes a real controller stream by transfer', async () => {
      const raw = new Uint16Array(rawPixelCount(SMALL)).fill(1000);
      const req = request(SMALL, { raw, processing: { biasSubtraction: 'none', format: 'assembled' } });
      await pool.submit(req);
      expect(raw.byteLength).to.equal(0); // detached: moved, not copied
      const [hdu] = readFits(written(req));
      expect([hdu.width, hdu.height, hdu.pixels[0]]).to.deep.equal([64, 32, 1000]);
    });

    it('refuses an invalid request at once with InvalidArgumentError', () => {
      expect(() => pool.submit(request(SMALL, { roi: { ...fullRoi(SMALL), colBin: 0 } }))).to.throw(InvalidArgumentError);
    });

    it('stops a readout promptly when aborted mid-way, then works again', async () => {
      const control = createReadoutControl(rawPixelCount(BIG));
      const running = pool.submit(request(BIG), control);
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
      expect((await pool.submit(request())).stats).to.have.length(4);
      expect(readdirSync(root)).to.have.length(1);
    });

    it('gives AbortedError for a readout aborted before it started, and writes nothing', async () => {
      const control = createReadoutControl(rawPixelCount(SMALL));
      requestAbort(control);
      expect(await failure(pool.submit(request(), control))).to.be.instanceOf(AbortedError);
      expect(readdirSync(root)).to.deep.equal([]);
    });

    it('writes each file right while reusing its file buffer', async () => {
      await pool.submit(request(BIG));
      const seeded = [2, 3].map((seed) => request(SMALL, { simulation: { imageType: 'object', exposureTime: 1, seed } }));
      for (const req of seeded) await pool.submit(req);
      for (const req of seeded) expect(written(req).equals(expected(req)), req.filename).to.equal(true);
    });

    it('writes each file right when a thread holds several readouts, one processed while the others flush', async () => {
      const seeded = [4, 5, 6, 7, 8, 9].map((seed) => request(SMALL, { simulation: { imageType: 'object', exposureTime: 1, seed } }));
      const results = await Promise.all(seeded.map((req) => pool.submit(req)));
      expect(results.every((r) => r.timings.flushMs <= r.timings.writeMs)).to.equal(true);
      for (const req of seeded) expect(written(req).equals(expected(req)), req.filename).to.equal(true);
    });

    it("gives the image store's errors with their code and message, leaving no file", async () => {
      writeFileSync(join(root, 'taken.fits'), 'old');
      const exists = await failure(pool.submit(request(SMALL, { filename: join(root, 'taken.fits') })));
      expect(exists).to.be.instanceOf(CommandError).and.include({
        code: 'AZ_READOUT_FAILED',
        message: `cannot write image ${join(root, 'taken.fits')}: file exists (set imageoverwrite to replace it)`,
      });
      expect(readdirSync(root)).to.deep.equal(['taken.fits']);
      expect(readFileSync(join(root, 'taken.fits'), 'utf8')).to.equal('old');
    });
  });

  describe('confined to its data directory', () => {
    it('refuses to write outside it, with PermissionError', async () => {
      const confined = new ReadoutPool({ root, threads: 1 });
      try {
        const outside = await failure(confined.submit(request(SMALL, { filename: join(root, '../escape.fits') })));
        expect(outside).to.be.instanceOf(CommandError).and.include({
          code: 'AZ_PERMISSION_DENIED',
          message: `image folder must be inside the data directory ${root}: ${dirname(root)}`,
        });
        await confined.submit(request(SMALL, { filename: join(root, 'night1/a.fits') }));
        expect(readdirSync(join(root, 'night1'))).to.deep.equal(['a.fits']);
      } finally {
        await confined.close();
      }
    });
  });

  describe('with a worker that fails', () => {
    let faulty: FaultyPool;
    before(() => {
      faulty = new FaultyPool({ root: tmpdir(), threads: 2 });
    });
    after(() => faulty.close());

    it('turns a worker exception into ReadoutError, and the next readout works', async () => {
      faulty.failNext('throw');
      const error = await failure(faulty.submit(request()));
      expect(error).to.be.instanceOf(ReadoutError);
      expect(error.message).to.equal('readout failed: injected worker fault');
      expect((await faulty.submit(request())).stats).to.have.length(4);
    });

    it('turns a worker that dies into ReadoutError, and the pool replaces it', async () => {
      faulty.failNext('exit');
      const error = await failure(faulty.submit(request()));
      expect(error).to.be.instanceOf(ReadoutError);
      expect(error.message).to.match(/^readout failed: .*exited/);
      const results = await Promise.all([faulty.submit(request()), faulty.submit(request()), faulty.submit(request())]);
      expect(results.map((r) => r.stats.length)).to.deep.equal([4, 4, 4]);
    });
  });

  describe('with one thread and a queue of one', () => {
    before(() => {
      pool = new ReadoutPool({ root: tmpdir(), threads: 1, maxQueue: 1 });
    });
    after(() => pool.close());

    it('refuses a readout at once with ServerBusyError when the queue is full', async () => {
      const controls = [createReadoutControl(0), createReadoutControl(0)];
      const first = pool.submit(request(BIG), controls[0]);
      const second = pool.submit(request(BIG), controls[1]);
      // Both are the pool's: running once the thread has taken them (the second then waits for its turn), queued until then.
      expect(pool.running + pool.queueSize).to.equal(2);
      expect(() => pool.submit(request(BIG))).to.throw(ServerBusyError);
      controls.forEach(requestAbort);
      const errors = await Promise.all([failure(first), failure(second)]);
      expect(errors.every((e) => e instanceof AbortedError)).to.equal(true);
      expect([pool.running, pool.queueSize]).to.deep.equal([0, 0]);
    });
  });

  describe('with no queue', () => {
    it('takes as many readouts as it has threads', async () => {
      const unqueued = new ReadoutPool({ root: tmpdir(), threads: 1, maxQueue: 0 });
      try {
        const control = createReadoutControl(0);
        const first = unqueued.submit(request(BIG), control);
        expect(() => unqueued.submit(request())).to.throw(ServerBusyError);
        requestAbort(control);
        expect(await failure(first)).to.be.instanceOf(AbortedError);
        expect((await unqueued.submit(request())).stats).to.have.length(4);
      } finally {
        await unqueued.close();
      }
    });
  });

  describe('with idle threads released', () => {
    it('starts a thread for readouts that come while the running one is busy, rather than make them share it', async () => {
      const releasing = new ReadoutPool({ root: tmpdir(), threads: 2, idleThreadMs: 60_000 });
      try {
        await releasing.submit(request());
        expect(releasing.liveThreads).to.equal(1);
        const controls = [createReadoutControl(0), createReadoutControl(0)];
        const burst = controls.map((control) => releasing.submit(request(BIG), control));
        expect(releasing.liveThreads).to.equal(2);
        controls.forEach(requestAbort);
        await Promise.all(burst.map((readout) => readout.catch(() => undefined)));
      } finally {
        await releasing.close();
      }
    });

    it('starts threads as readouts come, ends them once idle, and starts one again for the next readout', async () => {
      const releasing = new ReadoutPool({ root: tmpdir(), threads: 2, idleThreadMs: 20 });
      try {
        expect(releasing.liveThreads).to.equal(0);
        const first = request();
        await releasing.submit(first);
        expect(written(first).equals(expected(first))).to.equal(true);
        await until(() => releasing.liveThreads === 0, 'the idle thread ended');
        const again = request();
        await releasing.submit(again);
        expect(written(again).equals(expected(again))).to.equal(true);
      } finally {
        await releasing.close();
      }
    });

    it('counts readouts as queued while their threads start, and as running once a started thread has taken them', async () => {
      const held = new HeldThreads();
      const releasing = new ReadoutPool({ root: tmpdir(), threads: 2, idleThreadMs: 60_000, filename: HELD_WORKER });
      try {
        const burst = [releasing.submit(request()), releasing.submit(request())];
        const threads = [await held.starting(), await held.starting()];
        expect(gauges(releasing)).to.deep.equal({ running: 0, queueSize: 2, busyThreads: 0 });
        expect(releasing.liveThreads).to.equal(2);
        held.start(threads[0]);
        const files = [await held.written()];
        expect(gauges(releasing)).to.deep.equal({ running: 1, queueSize: 1, busyThreads: 1 });
        held.start(threads[1]);
        files.push(await held.written());
        expect(gauges(releasing)).to.deep.equal({ running: 2, queueSize: 0, busyThreads: 2 });
        files.forEach((file) => held.finish(file));
        await Promise.all(burst);
        expect(gauges(releasing)).to.deep.equal({ running: 0, queueSize: 0, busyThreads: 0 });
      } finally {
        held.close();
        await releasing.close();
      }
    });

    it('fails the readouts waiting for a thread that cannot start, each with ReadoutError, rather than leave them waiting', async () => {
      const broken = new ReadoutPool({ root: tmpdir(), threads: 2, idleThreadMs: 1000, filename: UNLOADABLE_WORKER });
      try {
        const failures = await Promise.all([failure(broken.submit(request())), failure(broken.submit(request()))]);
        for (const error of failures) expect(error).to.be.instanceOf(ReadoutError).and.have.property('message').that.matches(/could not start|injected load failure/);
        expect(await failure(broken.submit(request()))).to.be.instanceOf(ReadoutError);
        expect(broken.running).to.equal(0);
      } finally {
        await broken.close();
      }
    });

    it('keeps its threads by default', async () => {
      const keeping = new ReadoutPool({ root: tmpdir(), threads: 2 });
      try {
        await until(() => keeping.liveThreads === 2, 'both threads started');
        await keeping.submit(request());
        expect(keeping.liveThreads).to.equal(2);
      } finally {
        await keeping.close();
      }
    });
  });

  describe('closing', () => {
    it('finishes accepted readouts, then refuses new ones', async () => {
      const closing = new ReadoutPool({ root: tmpdir(), threads: 1 });
      const running = closing.submit(request());
      await Promise.all([closing.close(), closing.close()]);
      expect((await running).stats).to.have.length(4);
      expect(() => closing.submit(request())).to.throw(ShuttingDownError);
    });
  });

  describe('inline', () => {
    it('runs on the calling thread with the same file as a worker writes', async () => {
      const inline = new ReadoutPool({ root: tmpdir(), inline: true });
      try {
        const req = request();
        await inline.submit(req);
        expect(written(req).equals(expected(req))).to.equal(true);
      } finally {
        await inline.close();
      }
    });

    it('counts the calling thread as its one live thread, busy while it holds a readout', async () => {
      const inline = new ReadoutPool({ root: tmpdir(), inline: true });
      try {
        const threads = () => ({ live: inline.liveThreads, busy: inline.busyThreads });
        expect(threads()).to.deep.equal({ live: 1, busy: 0 });
        const writing = inline.submit(request());
        // Inline, submit returns as the write begins, the readout still held.
        expect(threads()).to.deep.equal({ live: 1, busy: 1 });
        await writing;
        expect(threads()).to.deep.equal({ live: 1, busy: 0 });
      } finally {
        await inline.close();
      }
    });

    it('leaves no file, and no temp file, when aborted just before the file gets its name', async () => {
      const inline = new ReadoutPool({ root: tmpdir(), inline: true });
      try {
        const control = createReadoutControl(0);
        const writing = inline.submit(request(), control);
        // Inline, submit returns as the write begins: the abort flag is next checked before the commit.
        expect(isWriting(control)).to.equal(true);
        requestAbort(control);
        expect(await failure(writing)).to.be.instanceOf(AbortedError);
        expect(readdirSync(root)).to.deep.equal([]);
      } finally {
        await inline.close();
      }
    });
  });
});
