import { expect } from 'chai';
import { NO_SCRATCH, Scratch } from '../../lib/readout/scratch.js';

describe('readout/scratch', () => {
  it('lends the same memory again for the same name', () => {
    const scratch = new Scratch(1024);
    const a = scratch.uint16('stream', 100);
    const b = scratch.uint16('stream', 50);
    expect(b.buffer).to.equal(a.buffer);
    expect(b.length).to.equal(50);
    expect(scratch.float32('data', 10).buffer).not.to.equal(a.buffer);
    expect(scratch.bytes).to.equal(240);
  });

  it('replaces a buffer that is too small', () => {
    const scratch = new Scratch(1024);
    const small = scratch.float32('data', 4);
    const big = scratch.float32('data', 8);
    expect(big.buffer).not.to.equal(small.buffer);
    expect(scratch.float32('data', 8).buffer).to.equal(big.buffer);
  });

  it('keeps nothing beyond its limit', () => {
    const scratch = new Scratch(100);
    const a = scratch.uint16('big', 200);
    expect(scratch.uint16('big', 200).buffer).not.to.equal(a.buffer);
    expect(scratch.bytes).to.equal(0);
    expect(NO_SCRATCH.uint16('x', 4).buffer).not.to.equal(NO_SCRATCH.uint16('x', 4).buffer);
  });

  it('keeps one kernel arena, replaced when too small, counted against its limit', () => {
    const scratch = new Scratch(1 << 20);
    const small = scratch.arena(1000);
    expect(scratch.arena(500)).to.equal(small);
    const big = scratch.arena(100_000);
    expect(big).not.to.equal(small);
    expect(big.bytes).to.be.at.least(100_000);
    expect(scratch.bytes).to.equal(big.bytes);
    expect(scratch.arena(2 << 20)).not.to.equal(scratch.arena(2 << 20));
    expect(scratch.bytes).to.equal(0);
  });
});
