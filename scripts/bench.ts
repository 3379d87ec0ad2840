#!/usr/bin/env node
/**
 * Load generator: `npm run bench -- [options]`. Starts servers in-process (port 0, a temporary
 * data directory) unless --port names a running one, runs the chosen scenarios and prints a table
 * for each. With --json, stdout carries one JSON object per scenario (a line each) and the tables
 * go to stderr.
 */
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runLatencyScenario } from './bench/latency.js';
import { machineInfo, type MachineInfo } from './bench/machine.js';
import { descriptorsNeeded, runManyClientsScenario } from './bench/many-clients.js';
import { SILENT, type Progress } from './bench/progress.js';
import { runReadoutScenario } from './bench/readout-scaling.js';
import { coreModel } from './bench/core-model.js';
import { coreModelTable, latencyTable, machineLine, manyClientsTable, readoutTable, throughputTable } from './bench/report.js';
import { localServers, remoteServer, type ServerSource } from './bench/target.js';
import { runThroughputScenario } from './bench/throughput.js';
import { DEFAULT_CONFIG } from '../lib/config.js';
import { DEFAULT_HOST } from '../lib/protocol/endpoint.js';
import { configureLog } from '../lib/log.js';
import { PRESETS } from '../lib/readout/geometry.js';
import type { BiasSubtraction } from '../lib/readout/overscan.js';
import type { ImageFormat } from '../lib/readout/request.js';

const SCENARIO_NAMES = ['latency', 'throughput', 'readout', 'clients'] as const;
type ScenarioName = (typeof SCENARIO_NAMES)[number];
type Options = ReturnType<typeof readOptions>;

interface Context {
  options: Options;
  source: ServerSource;
  machine: MachineInfo;
  progress: Progress;
  /** Where tables go: stdout, or stderr when stdout carries JSON. */
  report: NodeJS.WriteStream;
}

function readOptions(argv: string[]) {
  const args = yargs(argv)
    .scriptName('bench')
    .usage('$0 [options]\n\nBenchmarks the camera server: light-command latency under readout load, throughput, readout scaling, many clients.')
    .options({
      scenario: {
        type: 'string',
        default: SCENARIO_NAMES.join(','),
        description: `comma-separated, or the option repeated: ${SCENARIO_NAMES.join(', ')}`,
        coerce: (given: string | string[]) => [given].flat().join(','),
      },
      host: { type: 'string', default: DEFAULT_HOST, description: 'server address, with --port' },
      port: { type: 'number', description: 'bench the running server at --host:--port (no inline case; readout still runs in-process; sets the naming, overwrite, bias and format parameters of the cameras it exposes)' },
      json: { type: 'boolean', default: false, description: 'one JSON object per scenario on stdout; tables to stderr' },
      duration: { type: 'number', default: 10, description: 'seconds measured per case' },
      warmup: { type: 'number', default: 1, description: 'seconds run before each case, not measured' },
      detector: { choices: Object.keys(PRESETS), default: DEFAULT_CONFIG.detector, description: 'detector preset of the exposures and readouts' },
      workers: { type: 'number', default: DEFAULT_CONFIG.workers, description: 'readout workers of the in-process servers' },
      command: { type: 'string', default: 'tempcon.get_temperatures', description: 'the light command' },
      probes: { type: 'number', default: 2, description: 'latency: ping-pong clients' },
      'probe-interval': { type: 'number', default: 2, description: 'latency: ms between one probe\'s commands' },
      'load-clients': { type: 'number', default: 4, description: 'latency: clients exposing back to back, one camera each' },
      'image-type': { type: 'string', default: 'zero', description: 'latency/readout: image type of the exposures' },
      bias: { choices: ['none', 'row', 'amp'], default: 'none', description: 'latency/readout: overscan bias subtraction' },
      format: { choices: ['mef', 'assembled'], default: 'mef', description: 'latency/readout: image format' },
      connections: { type: 'number', default: 8, description: 'throughput: connections' },
      depth: { type: 'number', default: 16, description: 'throughput: commands in flight per connection' },
      frames: { type: 'number', default: 30, description: 'readout: measured frames per worker' },
      // A thread's first frames also compile its code (V8's optimizing compiler, on threads of its
      // own, for thirty-odd frames): CPU per frame over frames 11-30 read 71-74 ms, over 41-120
      // 62-69 ms (one worker, itl4k, same code and session).
      'warmup-frames': { type: 'number', default: 30, description: 'readout: unmeasured frames per worker first' },
      'max-workers': { type: 'number', default: availableParallelism(), description: 'readout: measure 1..this many workers' },
      clients: { type: 'number', default: 1000, description: 'clients: connections' },
      interval: { type: 'number', default: 100, description: 'clients: ms between one client\'s commands' },
    })
    .check((argv) => {
      for (const name of ['probes', 'connections', 'depth', 'frames', 'max-workers', 'clients', 'workers'] as const) {
        if (!(Number.isInteger(argv[name]) && argv[name] >= 1)) throw new Error(`--${name} must be an integer >= 1`);
      }
      for (const name of ['load-clients', 'warmup-frames'] as const) {
        if (!(Number.isInteger(argv[name]) && argv[name] >= 0)) throw new Error(`--${name} must be an integer >= 0`);
      }
      if (!(argv.duration > 0 && argv.interval > 0 && argv['probe-interval'] > 0 && argv.warmup >= 0)) {
        throw new Error('--duration, --interval and --probe-interval must be > 0, --warmup >= 0');
      }
      scenarios(argv.scenario);
      return true;
    })
    .alias('h', 'help')
    .strict()
    .parseSync();
  return { ...args, scenarios: scenarios(args.scenario), bias: args.bias as BiasSubtraction, format: args.format as ImageFormat };
}

function scenarios(list: string): ScenarioName[] {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length || !names.length) throw new Error(`--scenario: unknown ${unknown.join(', ') || '(none given)'}; use ${SCENARIO_NAMES.join(', ')}`);
  return names as ScenarioName[];
}

/** Each scenario: run it, return its result (for JSON) and its table. */
const SCENARIOS: Record<ScenarioName, (ctx: Context) => Promise<{ result: object; table: string }>> = {
  async latency({ options: o, source, progress }) {
    const result = await runLatencyScenario(
      source,
      { command: o.command, probes: o.probes, probeIntervalMs: o.probeInterval, loadClients: o.loadClients, imageType: o.imageType, biasSubtraction: o.bias, format: o.format, warmupMs: o.warmup * 1000, durationMs: o.duration * 1000 },
      progress,
    );
    return { result, table: latencyTable(result, o.warmup, source.inProcess) };
  },
  async throughput({ options: o, source, progress }) {
    const result = await runThroughputScenario(
      source,
      { command: o.command, connections: o.connections, depth: o.depth, warmupMs: o.warmup * 1000, durationMs: o.duration * 1000 },
      progress,
    );
    return { result, table: throughputTable(result, o.warmup) };
  },
  async readout({ options: o, progress }) {
    const result = await runReadoutScenario(
      {
        detector: o.detector,
        workerCounts: Array.from({ length: o.maxWorkers }, (_, i) => i + 1),
        framesPerWorker: o.frames,
        warmupFramesPerWorker: o.warmupFrames,
        imageType: o.imageType,
        biasSubtraction: o.bias,
        format: o.format,
      },
      progress,
    );
    const model = coreModel(result);
    return { result: { ...result, coreModel: model }, table: [readoutTable(result), coreModelTable(result, model)].filter(Boolean).join('\n') };
  },
  async clients({ options: o, source, machine, progress, report }) {
    const needed = descriptorsNeeded(o.clients, source.inProcess);
    if (machine.openFilesLimit !== undefined && machine.openFilesLimit < needed) {
      report.write(`WARNING: ulimit -n is ${machine.openFilesLimit}; ${o.clients} clients need about ${needed} descriptors\n`);
    }
    const result = await runManyClientsScenario(source, { clients: o.clients, intervalMs: o.interval, warmupMs: o.warmup * 1000, durationMs: o.duration * 1000 }, progress);
    return { result, table: manyClientsTable(result, needed, machine.openFilesLimit) };
  },
};

/** A cli-progress bar on stderr, one phase at a time. */
function progressBar(): Progress {
  const bar = new cliProgress.SingleBar(
    { format: '{label} |{bar}| {value}/{total}', hideCursor: true, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    begin: (label, total) => bar.start(total, 0, { label }),
    update: (done) => bar.update(done),
    end: () => bar.stop(),
  };
}

function serverLine(options: Options): string {
  const readout = options.scenarios.includes('readout') ? `; readout scenario: ${options.detector}, 1..${options.maxWorkers} workers` : '';
  if (options.port !== undefined) return `Server: ${options.host}:${options.port} (running)${readout}`;
  return `Server: in-process, detector ${options.detector}, ${options.workers} readout worker(s)${readout}`;
}

async function main(): Promise<void> {
  const options = readOptions(hideBin(process.argv));
  configureLog({ silent: true });
  const machine = machineInfo();
  const report = options.json ? process.stderr : process.stdout;
  const source = options.port === undefined ? localServers({ workers: options.workers, detector: options.detector }) : remoteServer(options.host, options.port);
  const progress = process.stderr.isTTY && !options.json ? progressBar() : SILENT;
  const ctx: Context = { options, source, machine, progress, report };
  report.write(machineLine(machine));
  report.write(`${serverLine(options)}\n\n`);
  for (const scenario of options.scenarios) {
    const { result, table } = await SCENARIOS[scenario](ctx);
    report.write(table + '\n');
    if (options.json) process.stdout.write(JSON.stringify({ scenario, machine, result }) + '\n');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
