import { expect } from 'chai';
import { systemClock } from '../lib/clock.js';
import { aliveTimers } from './support/alive-timers.js';

describe('systemClock', () => {
  it("keeps the process alive for a timer unless it is unref'd", () => {
    const before = aliveTimers();
    const kept = systemClock.setTimeout(() => undefined, 60_000);
    expect(aliveTimers()).to.equal(before + 1);
    kept.cancel();
    const unrefd = systemClock.setTimeout(() => undefined, 60_000, { unref: true });
    expect(aliveTimers()).to.equal(before);
    unrefd.cancel();
  });

  it("still fires an unref'd timer", async () => {
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1, { unref: true }));
  });
});
