/**
 * Scenario 2: light-command throughput, measured by a load generator in a process of its own
 * (load-generator.ts): C connections each keeping D commands pipelined, the same C connections
 * one command at a time, and the ping-pong rate of a single connection. The same load then runs
 * against a bare Node line server (bare-line-server.ts) sending our server's reply: what Node's
 * sockets alone allow on this machine, for a ratio that holds when the machine is noisy.
 */
import { AzcamClient } from '../../lib/client.js';
import { startBareLineServer } from './bare-line-server.js';
import { runLoadProcess } from './load-generator.js';
import { timedPhase, type Progress } from './progress.js';
import type { LatencySummary } from './recorder.js';
import { withServer, type ServerSource, type ServerTarget } from './target.js';

export interface ThroughputOptions {
  command: string;
  connections: number;
  /** Commands in flight per connection. */
  depth: number;
  warmupMs: number;
  durationMs: number;
}

export interface RateResult {
  connections: number;
  depth: number;
  /** Replies inside the window. */
  commands: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** The load generator's CPU time over the run per second of window: near 1 would mean it, not the server, set the pace. */
  generatorCpu: number;
  /** The server's CPU time (all its threads) per reply over the run; only for a server in the bench's process. */
  serverCpuUs?: number;
}

/** The three modes against one server. */
export interface Rates {
  pipelined: RateResult;
  /** C connections, one command in flight each. */
  unpipelined: RateResult;
  pingPong: RateResult;
}

export interface ThroughputResult {
  command: string;
  /** Our server's reply to the command: the bare line server sends it to every line. */
  reply: string;
  ours: Rates;
  bare: Rates;
}

export async function runThroughputScenario(source: ServerSource, options: ThroughputOptions, progress: Progress): Promise<ThroughputResult> {
  const ours = await withServer(source, { cameras: 1, inline: false }, async (target) => ({
    reply: await replyTo(target, options.command),
    rates: await measureRates(target, source.inProcess, options, progress, 'ours'),
  }));
  if (!ours) throw new Error('no server for the throughput scenario');
  const bare = await startBareLineServer(ours.reply);
  try {
    return { command: options.command, reply: ours.reply, ours: ours.rates, bare: await measureRates(bare, true, options, progress, 'bare Node') };
  } finally {
    await bare.stop();
  }
}

async function replyTo(target: ServerTarget, command: string): Promise<string> {
  const client = await AzcamClient.connect({ host: target.host, port: target.port });
  try {
    return await client.raw(command);
  } finally {
    await client.close();
  }
}

async function measureRates(target: ServerTarget, inProcess: boolean, options: ThroughputOptions, progress: Progress, label: string): Promise<Rates> {
  const measure = (connections: number, depth: number): Promise<RateResult> => measureRate(target, inProcess, options, connections, depth, progress, label);
  return {
    pipelined: await measure(options.connections, options.depth),
    unpipelined: await measure(options.connections, 1),
    pingPong: await measure(1, 1),
  };
}

async function measureRate(
  target: ServerTarget,
  inProcess: boolean,
  options: ThroughputOptions,
  connections: number,
  depth: number,
  progress: Progress,
  label: string,
): Promise<RateResult> {
  const spec = { host: target.host, port: target.port, command: options.command, connections, depth, warmupMs: options.warmupMs, durationMs: options.durationMs };
  const cpuBefore = process.cpuUsage();
  const load = await timedPhase(progress, `throughput, ${label}: ${connections} x ${depth}`, options.warmupMs + options.durationMs, () => runLoadProcess(spec));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    connections,
    depth,
    commands: load.replies,
    errors: load.errors,
    ...(load.firstError === undefined ? {} : { firstError: load.firstError }),
    seconds: load.seconds,
    perSecond: load.replies / load.seconds,
    latency: load.latency,
    generatorCpu: load.cpuSeconds / (load.seconds + options.warmupMs / 1000),
    ...(inProcess && load.allReplies > 0 ? { serverCpuUs: (cpu.user + cpu.system) / load.allReplies } : {}),
  };
}
