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
  /** The line of warning `n`, as logged() shows it. */
  const warned = (n: number): Partial<LogEntry> => ({ level: 'warn', n, heldBack: undefined });
  /** The line that reports `heldBack` warnings held back. */
  const heldBackCount = (heldBack: number): Partial<LogEntry> => ({ level: 'warn', n: undefined, heldBack });

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
      warned(1),
      heldBackCount(1000),
      warned(1002),
      heldBackCount(1),
      warned(1004),
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
      warned(1),
      heldBackCount(99),
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
      warned(1),
      heldBackCount(4),
      warned(6),
      heldBackCount(2),
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
      warned(1),
      warned(2),
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
      warned(1),
      heldBackCount(1),
      warned(3),
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
      warned(1),
      heldBackCount(1),
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
