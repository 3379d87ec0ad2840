import { expect } from 'chai';
import { slotLatencies } from '../../../scripts/bench/probe.js';

describe('bench probe schedule', () => {
  const ms = (value: number): bigint => BigInt(value * 1e6);
  const inMs = (latencies: bigint[]): number[] => latencies.map((ns) => Number(ns) / 1e6);

  it('records a timely command from when it was sent', () => {
    const { latencies, next } = slotLatencies(ms(100), ms(101), ms(101.5), ms(2));
    expect(inMs(latencies)).to.deep.equal([0.5]);
    expect(next).to.equal(ms(102));
  });

  it('forgives a send up to one interval late (timer granularity)', () => {
    expect(inMs(slotLatencies(ms(100), ms(102), ms(102.5), ms(2)).latencies)).to.deep.equal([0.5]);
  });

  it('counts a send more than an interval late from its slot', () => {
    expect(inMs(slotLatencies(ms(100), ms(103), ms(103.5), ms(2)).latencies)).to.deep.equal([3.5]);
  });

  it('records every slot a slow reply made the probe miss, until one within an interval of the reply', () => {
    const { latencies, next } = slotLatencies(ms(100), ms(100), ms(109), ms(2));
    // slots 102, 104, 106 missed (each answered no earlier than 109); 108 is sent at once, forgiven
    expect(inMs(latencies)).to.deep.equal([9, 7, 5, 3]);
    expect(next).to.equal(ms(108));
  });
});
