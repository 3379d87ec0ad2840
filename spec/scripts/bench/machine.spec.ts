import { expect } from 'chai';
import { machineInfo, openFilesLimit } from '../../../scripts/bench/machine.js';

describe('bench machine', () => {
  it('reads the soft open-files limit from /proc/self/limits text', () => {
    const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n';
    expect(openFilesLimit(limits)).to.equal(1024);
    expect(openFilesLimit(limits.replace('1024', 'unlimited'))).to.equal(Number.POSITIVE_INFINITY);
    expect(openFilesLimit('')).to.equal(undefined);
  });

  it('describes this machine', () => {
    const machine = machineInfo();
    expect(machine.cores).to.be.at.least(1);
    expect(machine.node).to.equal(process.version);
  });
});
