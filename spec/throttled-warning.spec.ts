import { expect } from 'chai';
import { ThrottledWarning } from '../lib/throttled-warning.js';
import { LogCapture } from './support/log-capture.js';
import { ManualClock } from './support/manual-clock.js';

describe('ThrottledWarning', () => {
  let capture: LogCapture;
  beforeEach(() => (capture = new LogCapture()));
  afterEach(() => capture.stop());

  it('logs the first at once, then at most once per interval, counting those held back', async () => {
    const clock = new ManualClock();
    const warning = new ThrottledWarning('flooded', 60_000, clock);
    for (let n = 1; n <= 1000; n++) warning.warn({ n });
    await clock.advance(59_999);
    warning.warn({ n: 1001 });
    await clock.advance(1);
    warning.warn({ n: 1002 });
    warning.warn({ n: 1003 });
    await clock.advance(60_000);
    warning.warn({ n: 1004 });
    const logged = capture.entries.filter((entry) => entry.message === 'flooded');
    expect(logged.map(({ level, n, heldBack }) => ({ level, n, heldBack }))).to.deep.equal([
      { level: 'warn', n: 1, heldBack: undefined },
      { level: 'warn', n: 1002, heldBack: 1000 },
      { level: 'warn', n: 1004, heldBack: 1 },
    ]);
  });
});
