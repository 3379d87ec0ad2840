import { expect } from 'chai';
import { coreModel } from '../../../scripts/bench/core-model.js';
import type { ReadoutRun, ReadoutScalingResult } from '../../../scripts/bench/readout-scaling.js';

function run(workers: number, fps: number, efficiency: number): ReadoutRun {
  const stages = { simulate: 0, deinterleave: 0, overscan: 0, statsAndBin: 0, encode: 0, worker: 0, write: 0, flush: 0 };
  return { workers, frames: 10, seconds: 1, fps, rawMBPerS: 0, efficiency, machineEfficiency: 1, memoryEfficiency: 1, cpuMsPerFrame: 0, stages, peakRssMB: 0 };
}

function result(runs: ReadoutRun[]): ReadoutScalingResult {
  return { detector: 'itl4k', amps: 16, rawMBPerFrame: 36, fitsMBPerFrame: 34, biasSubtraction: 'none', format: 'mef', runs, numpy: [], disk: { writers: 6, MBPerS: 1000 } };
}

describe('bench core model', () => {
  it("scales one worker's rate by the cores at the efficiency measured with the most workers", () => {
    const [four, sixteen] = coreModel(result([run(1, 5, 1), run(2, 9, 0.9)]), [4, 16])!;
    expect(four.fps).to.be.closeTo(4 * 5 * 0.9, 1e-9);
    expect(four.rawMBPerS).to.be.closeTo(18 * 36, 1e-9);
    expect(four.diskMBPerS).to.be.closeTo(18 * 34, 1e-9);
    expect(four.memoryMB).to.equal(4 * (36 + 3 * 34)); // the raw stream, the file made and two flushing
    expect(sixteen.fps).to.be.closeTo(4 * four.fps, 1e-9);
  });

  it('never models more than one worker per core, and needs a one-worker run', () => {
    expect(coreModel(result([run(1, 5, 1), run(2, 11, 1.1)]), [4])![0].fps).to.equal(20);
    expect(coreModel(result([run(2, 9, 1)]))).to.equal(undefined);
  });
});
