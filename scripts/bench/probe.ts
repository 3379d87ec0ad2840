/**
 * Paced ping-pong probes for latency: each probe sends the command on a fixed schedule (one slot
 * every `interval`), one at a time, and records its latency.
 *
 * Back-to-back ping-pong would hide stalls: a probe stuck behind a 300 ms stall records one slow
 * sample, then thousands of fast ones, so p99 never sees it (coordinated omission). Here every
 * slot of the schedule counts: a slot the probe could not use, because it was still waiting for a
 * reply or the event loop it shares with an in-process server was blocked, is recorded as the
 * latency a client on that schedule would have seen (its reply no earlier than the one that came).
 * Lateness of up to one interval is forgiven as timer granularity.
 */
import type { AzcamClient } from '../../lib/client.js';
import { childDeadlineMs, runChild } from './child.js';
import { withClients } from './clients.js';
import { msToNs, now, sleepUntil, windowFromNow, type Window } from './clock.js';
import { LatencyRecorder, type LatencySummary } from './recorder.js';
import { isOkReply } from '../../lib/protocol/reply.js';

export interface ProbeTally {
  latency: LatencyRecorder;
  /** Non-OK replies. */
  errors: number;
  firstError?: string;
}

/**
 * The latencies one probe command stands for, and the slot to send the next one in.
 * `slot`: when it was due; `sent`, `received`: when it went out and its reply came.
 */
export function slotLatencies(slot: bigint, sent: bigint, received: bigint, interval: bigint): { latencies: bigint[]; next: bigint } {
  const latencies = [sent - slot <= interval ? received - sent : received - slot];
  let next = slot + interval;
  for (; next < received - interval; next += interval) latencies.push(received - next);
  return { latencies, next };
}

/** Runs `probes` paced probes, staggered over the interval, through the window (warm-up unrecorded). */
export async function runProbes(probes: AzcamClient[], command: string, intervalMs: number, window: Window): Promise<ProbeTally> {
  const tally: ProbeTally = { latency: new LatencyRecorder(), errors: 0 };
  const interval = msToNs(intervalMs);
  const start = now();
  await Promise.all(probes.map((client, i) => probe(client, command, interval, start + (interval * BigInt(i)) / BigInt(probes.length), window, tally)));
  return tally;
}

async function probe(client: AzcamClient, command: string, interval: bigint, first: bigint, window: Window, tally: ProbeTally): Promise<void> {
  for (let slot = first; slot < window.until; ) {
    await sleepUntil(slot);
    const sent = now();
    const reply = await client.raw(command);
    const { latencies, next } = slotLatencies(slot, sent, now(), interval);
    latencies.forEach((latency, i) => {
      if (slot + BigInt(i) * interval >= window.from) tally.latency.record(latency);
    });
    if (!isOkReply(reply) && slot >= window.from) {
      tally.errors++;
      tally.firstError ??= reply;
    }
    slot = next;
  }
}

/** What a probe process is asked: `probes` connections to host:port probing through its window. */
export interface ProbeSpec {
  host: string;
  port: number;
  command: string;
  probes: number;
  intervalMs: number;
  warmupMs: number;
  durationMs: number;
}

export interface ProbeResult {
  latency: LatencySummary;
  errors: number;
  firstError?: string;
}

/** The probes of `spec`, run here (the body of probe-process.ts). */
export async function probeServer(spec: ProbeSpec): Promise<ProbeResult> {
  return withClients(spec, spec.probes, async (clients) => {
    const tally = await runProbes(clients, spec.command, spec.intervalMs, windowFromNow(spec.warmupMs, spec.durationMs));
    return { latency: tally.latency.summary(), errors: tally.errors, ...(tally.firstError === undefined ? {} : { firstError: tally.firstError }) };
  });
}

/**
 * The probes in a process of their own: a probe that shared the server's event loop (an in-process
 * server) would time its own waits for that loop too, and a bench's other work on it.
 */
export function runProbeProcess(spec: ProbeSpec): Promise<ProbeResult> {
  return runChild(new URL('./probe-process.js', import.meta.url), spec, childDeadlineMs(spec.warmupMs, spec.durationMs));
}
