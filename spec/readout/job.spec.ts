import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadoutControl, takenBy } from '../../lib/readout/control.js';
import { fitsFloat } from '../../lib/readout/fits.js';
import { fullRoi, makeGeometry, rawPixelCount } from '../../lib/readout/geometry.js';
import { runJob, Turns, type ReadoutJob } from '../../lib/readout/job.js';
import { Scratch } from '../../lib/readout/scratch.js';

const G = makeGeometry({ name: 'small', width: 128, height: 64, amps: 4, prescan: 2, overscanCols: 8, overscanRows: 2 });

describe('readout/job', () => {
  describe('Turns', () => {
    it('gives turns one at a time, in the order they were asked for', async () => {
      const turns = new Turns();
      const log: string[] = [];
      const section = async (name: string, work: () => Promise<void>) => {
        const end = await turns.take();
        log.push(`${name} in`);
        await work();
        log.push(`${name} out`);
        end();
      };
      let releaseFirst!: () => void;
      const first = section('a', () => new Promise((resolve) => (releaseFirst = resolve)));
      const second = section('b', async () => undefined);
      const third = section('c', async () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      expect(log).to.deep.equal(['a in']);
      releaseFirst();
      await Promise.all([first, second, third]);
      expect(log).to.deep.equal(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    });

    it('lets a turn be ended twice (by the write, then by the job) without skipping the next', async () => {
      const turns = new Turns();
      const end = await turns.take();
      const next = turns.take();
      end();
      end();
      const endNext = await next;
      let thirdStarted = false;
      const third = turns.take().then((end3) => {
        thirdStarted = true;
        end3();
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(thirdStarted).to.equal(false);
      endNext();
      await third;
      expect(thirdStarted).to.equal(true);
    });
  });

  describe('runJob', () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'azcam-job-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const job = (imageType: string, name: string): ReadoutJob => ({
      root,
      control: createReadoutControl(rawPixelCount(G)),
      request: {
        camera: 'spec',
        geometry: G,
        roi: fullRoi(G),
        simulation: { imageType, exposureTime: 1, seed: 3 },
        processing: { biasSubtraction: 'none', format: 'mef' },
        cards: [{ key: 'EXPTIME', value: fitsFloat(1), comment: 'seconds' }],
        filename: join(root, name),
        overwrite: false,
      },
    });

    it('marks the job taken by its thread at once, before it waits for its turn', async () => {
      const turns = new Turns();
      const endOtherTurn = await turns.take();
      const waiting = job('zero', 'waiting.fits');
      const running = runJob(waiting, new Scratch(), { fitsInScratch: true }, turns);
      expect(takenBy(waiting.control!)).to.equal(0); // the main thread's id
      endOtherTurn();
      await running;
    });

    it('makes each preview from its own frame, jobs sharing a scratch overlapping (inline) or taking turns (a thread)', async () => {
      const alone = await runJob(job('flat', 'alone.fits'), new Scratch(), { fitsInScratch: false });
      for (const turns of [undefined, new Turns()]) {
        const scratch = new Scratch();
        const options = { fitsInScratch: turns !== undefined };
        const [flat, zero] = await Promise.all([runJob(job('flat', `flat-${!turns}.fits`), scratch, options, turns), runJob(job('zero', `zero-${!turns}.fits`), scratch, options, turns)]);
        expect(Buffer.from(flat.preview.png).equals(Buffer.from(alone.preview.png)), turns ? 'taking turns' : 'inline').to.equal(true);
        expect(Buffer.from(zero.preview.png).equals(Buffer.from(alone.preview.png))).to.equal(false);
      }
    });
  });
});
