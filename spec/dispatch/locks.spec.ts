import { expect } from 'chai';
import { ResourceLock } from '../../lib/dispatch/locks.js';
import { ExposureInProgressError } from '../../lib/errors.js';

describe('ResourceLock', () => {
  const lock = () => new ResourceLock(() => new ExposureInProgressError());

  it('is free until acquired, and free again once released', () => {
    const camera = lock();
    expect(camera.isHeld).to.equal(false);
    const release = camera.tryAcquire();
    expect(camera.isHeld).to.equal(true);
    release();
    expect(camera.isHeld).to.equal(false);
  });

  it('refuses a second holder at once with the resource busy error', () => {
    const camera = lock();
    camera.tryAcquire();
    expect(() => camera.tryAcquire()).to.throw(ExposureInProgressError, 'exposure in progress');
    expect(() => camera.assertFree()).to.throw(ExposureInProgressError);
  });

  it('lets assertFree pass while free', () => {
    expect(() => lock().assertFree()).not.to.throw();
  });

  it('makes a second release harmless, even after someone else took the lock', () => {
    const camera = lock();
    const first = camera.tryAcquire();
    first();
    const second = camera.tryAcquire();
    first();
    expect(camera.isHeld).to.equal(true);
    second();
    expect(camera.isHeld).to.equal(false);
  });

  it('keeps separate resources independent (no global lock)', () => {
    const camera1 = lock();
    const camera2 = lock();
    camera1.tryAcquire();
    expect(() => camera2.tryAcquire()).not.to.throw();
  });
});
