import { expect } from 'chai';
import { Histogram, Registry } from 'prom-client';
import { CommandDurations } from '../../lib/web/command-durations.js';

describe('web/command-durations', () => {
  it('exposes what a prom-client Histogram with the same buckets and observations exposes', async () => {
    const durations = new CommandDurations();
    const ours = new Registry();
    ours.registerMetric(durations.asMetric());
    const theirs = new Registry();
    const buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    const histogram = new Histogram({ name: durations.name, help: durations.help, labelNames: ['kind'], buckets, registers: [theirs] });
    const observations: ['light' | 'heavy', number][] = [['light', 0.00005], ['light', 0.0001], ['light', 0.0003], ['light', 0.01], ['heavy', 2], ['heavy', 400]];
    for (const [kind, seconds] of observations) {
      durations.observe(kind, seconds);
      histogram.observe({ kind }, seconds);
    }
    expect(await ours.metrics()).to.equal(await theirs.metrics());
    durations.reset();
    histogram.reset();
    histogram.zero({ kind: 'light' });
    histogram.zero({ kind: 'heavy' });
    expect(await ours.metrics()).to.equal(await theirs.metrics());
  });
});
