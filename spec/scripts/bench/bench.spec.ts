/** A smoke run of every bench scenario at tiny sizes, so the bench never rots (the real run is `npm run bench`). */
import { expect } from 'chai';
import { runLatencyScenario } from '../../../scripts/bench/latency.js';
import { generateLoad } from '../../../scripts/bench/load-generator.js';
import { runManyClientsScenario } from '../../../scripts/bench/many-clients.js';
import { SILENT } from '../../../scripts/bench/progress.js';
import type { LatencySummary } from '../../../scripts/bench/recorder.js';
import { numpyAvailable } from '../../../scripts/bench/numpy-reference.js';
import { runReadoutScenario } from '../../../scripts/bench/readout-scaling.js';
import { localServers } from '../../../scripts/bench/target.js';
import { runThroughputScenario } from '../../../scripts/bench/throughput.js';
import { READOUTS_PER_THREAD } from '../../../lib/readout/pool.js';
import { ScriptProcess } from '../processes.js';

const BENCH_SCRIPT = new URL('../../../scripts/bench.js', import.meta.url).pathname;

const servers = localServers({ detector: 'sta2k', workers: 1 });
const command = 'tempcon.get_temperatures';

function expectSane(latency: LatencySummary): void {
  expect(latency.count).to.be.greaterThan(0);
  expect(latency.p50Ms).to.be.greaterThan(0);
  expect(latency.p99Ms).to.be.at.least(latency.p50Ms);
  expect(latency.maxMs).to.be.at.least(latency.p99Ms);
}

describe('bench scenarios (smoke run)', function () {
  this.timeout(20_000);

  it('takes --scenario comma-separated or repeated, and names an unknown one before running anything', async () => {
    for (const args of [['--scenario', 'latency,nosuch'], ['--scenario', 'latency', '--scenario', 'nosuch']]) {
      const { code, stderr } = await new ScriptProcess(BENCH_SCRIPT, args).finished;
      expect(code, args.join(' ')).not.to.equal(0);
      expect(stderr, args.join(' ')).to.contain('--scenario: unknown nosuch; use latency, throughput, readout, clients');
    }
  });

  it('measures light-command latency idle, loaded with the pool (also with ten status pages open), and loaded inline', async () => {
    const result = await runLatencyScenario(
      servers,
      { command, probes: 1, probeIntervalMs: 2, loadClients: 2, imageType: 'zero', biasSubtraction: 'row', format: 'mef', warmupMs: 100, durationMs: 250 },
      SILENT,
    );
    expect(result.cases.map((c) => c.name)).to.deep.equal(['idle', 'loaded, pool', 'loaded, pool, 10 status pages', 'loaded, inline']);
    expect(result.cases[2].pageMessages).to.be.above(0);
    for (const c of result.cases) {
      expectSane(c.latency);
      expect(c.errors).to.equal(0);
      expect(c.p99Ratio).to.be.greaterThan(0);
    }
    const [idle, ...loaded] = result.cases;
    expect(idle.load).to.equal(undefined);
    for (const c of loaded) {
      expect(c.load!.errors, c.load!.firstError).to.equal(0);
      expect(c.load!.inProgress).to.equal(0);
    }
  });

  it('measures pipelined, one-at-a-time and ping-pong throughput from a load generator process of its own, against ours and a bare line server', async () => {
    const result = await runThroughputScenario(servers, { command, connections: 2, depth: 4, warmupMs: 50, durationMs: 200 }, SILENT);
    expect(result.reply).to.match(/^OK -?\d+\.\d+ -?\d+\.\d+ -?\d+\.\d+$/);
    for (const rates of [result.ours, result.bare]) {
      const all = [rates.pipelined, rates.unpipelined, rates.pingPong];
      for (const rate of all) {
        expect(rate.commands).to.be.greaterThan(0);
        expect(rate.perSecond).to.be.greaterThan(0);
        expect(rate.errors).to.equal(0);
        expect(rate.generatorCpu).to.be.greaterThan(0);
        expect(rate.serverCpuUs, 'measured in the bench process').to.be.greaterThan(0);
        expectSane(rate.latency);
      }
      expect(all.map((rate) => [rate.connections, rate.depth])).to.deep.equal([[2, 4], [2, 1], [1, 1]]);
    }
  });

  it('takes a welcome line for no reply, and refuses a light command of more than one line', async () => {
    const welcoming = localServers({ detector: 'sta2k', workers: 1, welcome: 'azcam-server here' });
    const result = await runThroughputScenario(welcoming, { command, connections: 1, depth: 2, warmupMs: 20, durationMs: 100 }, SILENT);
    expect(result.ours.pipelined.errors, result.ours.pipelined.firstError).to.equal(0);
    const twoLines = generateLoad({ host: '127.0.0.1', port: 1, command: 'echo a\necho b', connections: 1, depth: 1, warmupMs: 0, durationMs: 1 });
    expect(await twoLines.then(() => undefined, (error: unknown) => error)).to.be.instanceOf(RangeError);
  });

  it('counts the replies that are not OK, and keeps the first', async () => {
    const result = await runThroughputScenario(servers, { command: 'nosuch.command', connections: 1, depth: 2, warmupMs: 20, durationMs: 100 }, SILENT);
    expect(result.ours.pipelined.errors).to.equal(result.ours.pipelined.commands).and.be.greaterThan(0);
    expect(result.ours.pipelined.firstError).to.match(/^ERROR /);
    expect(result.bare.pipelined.firstError, 'the bare server sends our reply').to.equal(result.ours.pipelined.firstError);
  });

  it('measures the readout pipeline for 1 and 2 workers', async () => {
    const result = await runReadoutScenario(
      { detector: 'sta2k', workerCounts: [1, 2], framesPerWorker: 1, warmupFramesPerWorker: 0, imageType: 'zero', biasSubtraction: 'row', format: 'mef' },
      SILENT,
    );
    expect(result.runs.map((run) => [run.workers, run.frames])).to.deep.equal([[1, 1], [2, 2]]);
    expect(result.runs[0].efficiency).to.equal(1);
    for (const run of result.runs) {
      expect(run.fps).to.be.greaterThan(0);
      expect(run.rawMBPerS).to.be.greaterThan(0);
      expect(run.stages.simulate).to.be.greaterThan(0);
      expect(run.stages.encode).to.be.greaterThan(0);
      expect(run.stages.write).to.be.greaterThan(0);
      expect(run.stages.flush).to.be.at.most(run.stages.write);
      expect(run.stages.worker).to.be.at.least(run.stages.simulate + run.stages.encode);
      expect(run.peakRssMB).to.be.greaterThan(0);
      expect(run.machineEfficiency).to.be.greaterThan(0);
      expect(run.memoryEfficiency).to.be.greaterThan(0);
    }
    expect(result.fitsMBPerFrame).to.be.greaterThan(0);
    expect(result.disk.writers).to.equal(READOUTS_PER_THREAD * 2);
    expect(result.disk.MBPerS).to.be.greaterThan(0);
    // The numpy yardstick, where the system python has numpy (CI installs it): 1 thread, then 2.
    if (numpyAvailable()) {
      expect(result.numpy.map((run) => [run.threads, run.frames])).to.deep.equal([[1, 1], [2, 2]]);
      for (const run of result.numpy) expect(run.fps).to.be.greaterThan(0);
    } else {
      expect(result.numpy).to.deep.equal([]);
    }
  });

  it('has many clients get every reply, in order', async () => {
    const result = await runManyClientsScenario(servers, { clients: 20, intervalMs: 50, warmupMs: 50, durationMs: 300 }, SILENT);
    expect(result.sent).to.be.at.least(20 * 6);
    expect(result.received).to.equal(result.sent);
    expect([result.missing, result.outOfOrder, result.errors]).to.deep.equal([0, 0, 0]);
    expectSane(result.latency);
  });
});
