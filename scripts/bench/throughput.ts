/**
 * Scenario 2: light-command throughput, measured by a load generator in a process of its own
 * (load-generator.ts): C connections each keeping D commands pipelined, the same C connections
 * one command at a time, and the ping-pong rate of a single connection.
 */
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
}

export interface ThroughputResult {
  command: string;
  pipelined: RateResult;
  /** C connections, one command in flight each. */
  unpipelined: RateResult;
  pingPong: RateResult;
}

export async function runThroughputScenario(source: ServerSource, options: ThroughputOptions, progress: Progress): Promise<ThroughputResult> {
  const result = await withServer(source, { cameras: 1, inline: false }, async (target) => ({
    command: options.command,
    pipelined: await measureRate(target, options, options.connections, options.depth, progress),
    unpipelined: await measureRate(target, options, options.connections, 1, progress),
    pingPong: await measureRate(target, options, 1, 1, progress),
  }));
  if (!result) throw new Error('no server for the throughput scenario');
  return result;
}

async function measureRate(target: ServerTarget, options: ThroughputOptions, connections: number, depth: number, progress: Progress): Promise<RateResult> {
  const spec = { host: target.host, port: target.port, command: options.command, connections, depth, warmupMs: options.warmupMs, durationMs: options.durationMs };
  const load = await timedPhase(progress, `throughput: ${connections} x ${depth}`, options.warmupMs + options.durationMs, () => runLoadProcess(spec));
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
  };
}
