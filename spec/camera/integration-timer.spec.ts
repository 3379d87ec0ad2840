import { expect } from 'chai';
import { AbortedError } from '../../lib/errors.js';
import { IntegrationTimer } from '../../lib/camera/integration-timer.js';
import { ManualClock } from '../support/manual-clock.js';

describe('IntegrationTimer', () => {
  let clock: ManualClock;
  let finished: boolean;
  const start = (ms: number) => {
    const timer = new IntegrationTimer(clock, ms);
    timer.done.then(() => (finished = true), () => undefined);
    return timer;
  };

  beforeEach(() => {
    clock = new ManualClock();
    finished = false;
  });

  it('counts down and resolves when the time is up', async () => {
    const timer = start(2000);
    await clock.advance(500);
    expect(timer.remainingMs).to.equal(1500);
    await clock.advance(1499);
    expect(finished).to.equal(false);
    await clock.advance(1);
    expect(finished).to.equal(true);
    expect(timer.remainingMs).to.equal(0);
  });

  it('stops counting while paused and carries on after resume', async () => {
    const timer = start(2000);
    await clock.advance(500);
    timer.pause();
    await clock.advance(60_000);
    expect(timer.remainingMs).to.equal(1500);
    expect(finished).to.equal(false);
    timer.resume();
    await clock.advance(1500);
    expect(finished).to.equal(true);
  });

  it('treats a repeated pause or resume as nothing', async () => {
    const timer = start(1000);
    timer.resume();
    await clock.advance(200);
    timer.pause();
    timer.pause();
    timer.resume();
    timer.resume();
    await clock.advance(800);
    expect(finished).to.equal(true);
    expect(clock.pendingTimers).to.equal(0);
  });

  it('finishes a zero-length integration on the next tick of the clock', async () => {
    start(0);
    await clock.advance(0);
    expect(finished).to.equal(true);
  });

  it('finishes early, running or paused, telling how long it integrated', async () => {
    const running = start(10_000);
    await clock.advance(2500);
    running.finishEarly();
    await running.done;
    expect([running.integratedMs, running.remainingMs, clock.pendingTimers]).to.deep.equal([2500, 7500, 0]);
    await clock.advance(10_000);
    expect(running.integratedMs).to.equal(2500);

    const paused = start(10_000);
    await clock.advance(1000);
    paused.pause();
    await clock.advance(5000);
    paused.finishEarly();
    paused.resume();
    await paused.done;
    expect([paused.integratedMs, clock.pendingTimers]).to.deep.equal([1000, 0]);
  });

  it('integrates the whole time when not ended early', async () => {
    const timer = start(1000);
    await clock.advance(1000);
    timer.finishEarly();
    expect(timer.integratedMs).to.equal(1000);
  });

  it('rejects with the reason when cancelled, and leaves no timer behind', async () => {
    const timer = start(1000);
    timer.cancel(new AbortedError());
    let reason: unknown;
    await timer.done.catch((error: unknown) => (reason = error));
    expect(reason).to.be.instanceOf(AbortedError);
    expect(clock.pendingTimers).to.equal(0);
    timer.resume();
    expect(clock.pendingTimers).to.equal(0);
  });
});
