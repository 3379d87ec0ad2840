import { expect } from 'chai';
import { count, fixed, formatTable } from '../../../scripts/bench/table.js';
import { targetNote } from '../../../scripts/bench/report.js';

describe('bench table', () => {
  it('aligns the first column left and the others right, under a rule', () => {
    const text = formatTable({ title: 'T', columns: ['case', 'p99 ms'], rows: [['idle', '0.1'], ['loaded', '12.5']], notes: ['note'] });
    expect(text).to.equal(['T', 'case    p99 ms', '------  ------', 'idle       0.1', 'loaded    12.5', 'note', ''].join('\n'));
  });

  it('formats numbers, with a dash for none', () => {
    expect(fixed(1.234, 2)).to.equal('1.23');
    expect(fixed(Number.NaN)).to.equal('-');
    expect(fixed(undefined)).to.equal('-');
    expect(count(123456.7)).to.equal('123,457');
  });

  it('says whether a target is met', () => {
    expect(targetNote('ratio', 1.5, '<=', 2)).to.equal('target: ratio <= 2: 1.50, met');
    expect(targetNote('rate', 90, '>=', 100, 0)).to.equal('target: rate >= 100: 90, MISSED');
    expect(targetNote('max ms', 5, '<', 5, 1)).to.equal('target: max ms < 5: 5.0, MISSED');
  });
});
