/**
 * Scenario 2: light-command throughput, C connections each keeping D commands pipelined for the
 * whole window, and the ping-pong rate of a single connection.
 */
import { windowFromNow, windowSeconds } from './clock.js';
import { runLanes } from './lanes.js';
import { timedPhase, type Progress } from './progress.js';
import type { LatencySummary } from './recorder.js';
import { withClients, withServer, type ServerSource } from './target.js';

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
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
}

export interface ThroughputResult {
  command: string;
  pipelined: RateResult;
  pingPong: RateResult;
}

export async function runThroughputScenario(source: ServerSource, options: ThroughputOptions, progress: Progress): Promise<ThroughputResult> {
  const result = await withServer(source, { cameras: 1, inline: false }, async (target) => {
    const rate = (connections: number, depth: number): Promise<RateResult> =>
      withClients(target, connections, async (clients) => {
        const window = windowFromNow(options.warmupMs, options.durationMs);
        const label = `throughput: ${connections} x ${depth}`;
        const tally = await timedPhase(progress, label, options.warmupMs + options.durationMs, () => runLanes(clients, depth, options.command, window));
        const seconds = windowSeconds(window);
        return { connections, depth, commands: tally.replies, errors: tally.errors, seconds, perSecond: tally.replies / seconds, latency: tally.latency.summary() };
      });
    return { command: options.command, pipelined: await rate(options.connections, options.depth), pingPong: await rate(1, 1) };
  });
  if (!result) throw new Error('no server for the throughput scenario');
  return result;
}
