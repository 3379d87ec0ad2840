import { expect } from 'chai';
import { Turns } from '../../lib/readout/job.js';

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
});
