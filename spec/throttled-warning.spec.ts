import { expect } from 'chai';
import type { Clock } from '../lib/clock.js';
import { ThrottledWarning } from '../lib/throttled-warning.js';
import { aliveTimers } from './support/alive-timers.js';
import { LogCapture, type LogEntry } from './support/log-capture.js';
import { ManualClock } from './support/manual-clock.js';

const MINUTE = 60_000;

describe('ThrottledWarning', () => {
  let capture: LogCapture;
  let clock: ManualClock;
  beforeEach(() => {
    capture = new LogCapture();
    clock = new ManualClock();
  });
  afterEach(() => capture.stop());

  function logged(): Partial<LogEntry>[] {
    return capture.entries.filter((entry) => entry.message === 'flooded').map(({ level, n, heldBack }) => ({ level, n, heldBack }));
  }

  it('logs the first at once, then at most once per interval, and at its end the count held back', async () => {
    const warning = new ThrottledWarning('flooded', MINUTE, clock);
    for (let n = 1; n <= 1000; n++) warning.warn({ n });
    await clock.advance(MINUTE - 1);
    warning.warn({ n: 1001 });
    await clock.advance(1);
    warning.warn({ n: 1002 });
    warning.warn({ n: 1003 });
    await clock.advance(MINUTE);
    warning.warn({ n: 1004 });
    expect(logged()).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 1000 },
      { level: 'warn', n: 1002, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 1 },
      { level: 'warn', n: 1004, heldBack: undefined },
    ]);
  });

  it("reports a flood's held-back count once, at the interval's end, when the flood has stopped", async () => {
    const warning = new ThrottledWarning('flooded', MINUTE, clock);
    warning.warn({ n: 1 });
    await clock.advance(MINUTE / 2);
    for (let n = 2; n <= 100; n++) warning.warn({ n });
    await clock.advance(MINUTE / 2 - 1);
    expect(logged()).to.have.length(1);
    await clock.advance(1);
    expect(logged()).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 99 },
    ]);
    await clock.advance(10 * MINUTE);
    expect(logged()).to.have.length(2);
    expect(clock.pendingTimers).to.equal(0);
  });

  it('starts a fresh count with the next warning after the report', async () => {
    const warning = new ThrottledWarning('flooded', MINUTE, clock);
    for (let n = 1; n <= 5; n++) warning.warn({ n });
    await clock.advance(3 * MINUTE);
    for (let n = 6; n <= 8; n++) warning.warn({ n });
    await clock.advance(MINUTE);
    expect(logged()).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 4 },
      { level: 'warn', n: 6, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 2 },
    ]);
  });

  it('logs no count when nothing was held back', async () => {
    const warning = new ThrottledWarning('flooded', MINUTE, clock);
    warning.warn({ n: 1 });
    expect(clock.pendingTimers).to.equal(0);
    await clock.advance(MINUTE);
    warning.warn({ n: 2 });
    await clock.advance(10 * MINUTE);
    expect(logged()).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: 2, heldBack: undefined },
    ]);
  });

  it('reports the count once, before the next warning, when the report runs late', async () => {
    const lateTimers: Clock = { now: () => clock.now(), setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs + 5) };
    const warning = new ThrottledWarning('flooded', MINUTE, lateTimers);
    warning.warn({ n: 1 });
    warning.warn({ n: 2 });
    await clock.advance(MINUTE);
    warning.warn({ n: 3 });
    await clock.advance(MINUTE);
    expect(logged()).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 1 },
      { level: 'warn', n: 3, heldBack: undefined },
    ]);
  });

  it('reports the count at once when asked (stopping), and not again', async () => {
    const warning = new ThrottledWarning('flooded', MINUTE, clock);
    warning.warn({ n: 1 });
    warning.warn({ n: 2 });
    warning.reportHeldBack();
    expect(clock.pendingTimers).to.equal(0);
    await clock.advance(MINUTE);
    warning.reportHeldBack();
    expect(logged()).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: undefined, heldBack: 1 },
    ]);
  });

  it("never keeps the process alive while a count waits for the interval's end", () => {
    const before = aliveTimers();
    const warning = new ThrottledWarning('flooded');
    warning.warn({ n: 1 });
    warning.warn({ n: 2 });
    expect(aliveTimers()).to.equal(before);
    warning.reportHeldBack();
  });
});
