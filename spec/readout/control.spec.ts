import { expect } from 'chai';
import { threadId } from 'node:worker_threads';
import { AbortedError } from '../../lib/errors.js';
import { createReadoutControl, isAborted, isWriting, markTaken, markWriting, readProgress, ReadoutMonitor, requestAbort, takenBy, throwIfAborted } from '../../lib/readout/control.js';

describe('readout/control', () => {
  it('shares an abort flag and a progress counter through a SharedArrayBuffer', () => {
    const control = createReadoutControl(1000);
    expect(control.shared.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(readProgress(control)).to.deep.equal({ done: 0, total: 1000, fraction: 0 });
    expect(isAborted(control)).to.equal(false);
    requestAbort(control);
    expect(isAborted(control)).to.equal(true);
    expect(isAborted(undefined)).to.equal(false);
  });

  it('shares when the worker starts writing the file', () => {
    const control = createReadoutControl(1000);
    expect(isWriting(control)).to.equal(false);
    markWriting(control);
    expect(isWriting(control)).to.equal(true);
    expect(() => markWriting(undefined)).not.to.throw();
  });

  it('shares which thread has taken the job, the main thread (id 0) included', () => {
    const control = createReadoutControl(1000);
    expect(takenBy(control)).to.equal(undefined);
    markTaken(control);
    expect(takenBy(control)).to.equal(threadId).and.equal(0);
    expect(() => markTaken(undefined)).not.to.throw();
  });

  it('throws AbortedError once abort is requested', () => {
    const control = createReadoutControl(1000);
    expect(() => throwIfAborted(control)).not.to.throw();
    expect(() => throwIfAborted(undefined)).not.to.throw();
    requestAbort(control);
    expect(() => throwIfAborted(control)).to.throw(AbortedError, 'readout aborted');
  });

  it('maps each stage onto its share of the total', () => {
    const control = createReadoutControl(0);
    const monitor = new ReadoutMonitor(control, 1000);
    expect(readProgress(control).total).to.equal(1000);
    const rows = monitor.stage(0.4, 10);
    rows(5);
    expect(readProgress(control).done).to.equal(200);
    rows(10);
    expect(readProgress(control).done).to.equal(400);
    const amps = monitor.stage(0.5, 4);
    amps(1);
    expect(readProgress(control)).to.deep.equal({ done: 525, total: 1000, fraction: 0.525 });
    monitor.finish();
    expect(readProgress(control).fraction).to.equal(1);
  });

  it('throws AbortedError at the next step once abort is requested', () => {
    const control = createReadoutControl(0);
    const monitor = new ReadoutMonitor(control, 100);
    const step = monitor.stage(1, 10);
    step(1);
    requestAbort(control);
    expect(() => step(2)).to.throw(AbortedError, 'readout aborted');
    expect(() => monitor.check()).to.throw(AbortedError);
    expect(readProgress(control).done).to.equal(10);
  });

  it('does nothing without a control', () => {
    const monitor = new ReadoutMonitor(undefined, 100);
    expect(() => {
      monitor.check();
      monitor.stage(1, 1)(1);
      monitor.finish();
    }).not.to.throw();
  });
});
