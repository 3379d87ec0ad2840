/**
 * Scenario 4: many concurrent connections, each sending `echo <client>-<seq>` on a fixed period.
 * Every reply must come back, and come back in order: a connection's replies are matched to its
 * commands in sending order, so a reply carrying another sequence number is out of order.
 */
import type { AzcamClient } from '../../lib/client.js';
import { timedPhase, type Progress } from './progress.js';
import { msToNs, now, nsToMs, sleepUntil, windowFromNow, windowSeconds, type Window } from './clock.js';
import { LatencyRecorder, type LatencySummary } from './recorder.js';
import { withClients } from './clients.js';
import { withServer, type ServerSource } from './target.js';

export interface ManyClientsOptions {
  clients: number;
  /** Each client sends a command this often. */
  intervalMs: number;
  warmupMs: number;
  durationMs: number;
}

export interface ManyClientsResult {
  clients: number;
  intervalMs: number;
  /** Time to connect every client. */
  connectMs: number;
  /** Sending time, warm-up included (every reply is checked, the warm-up's too). */
  seconds: number;
  sent: number;
  received: number;
  /** Commands whose reply never came (timeout or connection lost). */
  missing: number;
  outOfOrder: number;
  /** Replies that were neither the expected echo nor another echo. */
  errors: number;
  firstError?: string;
  /** Of the commands sent after the warm-up. */
  latency: LatencySummary;
}

type Tally = Pick<ManyClientsResult, 'sent' | 'received' | 'missing' | 'outOfOrder' | 'errors' | 'firstError'> & { latency: LatencyRecorder };

/** File descriptors the scenario needs: a socket per client, two when the server is in-process. */
export function descriptorsNeeded(clients: number, inProcess: boolean): number {
  const spare = 64;
  return clients * (inProcess ? 2 : 1) + spare;
}

export async function runManyClientsScenario(source: ServerSource, options: ManyClientsOptions, progress: Progress): Promise<ManyClientsResult> {
  const result = await withServer(source, { cameras: 1, inline: false }, async (target) => {
    const connecting = now();
    return withClients(target, options.clients, async (clients) => {
      const connectMs = nsToMs(now() - connecting);
      const tally: Tally = { sent: 0, received: 0, missing: 0, outOfOrder: 0, errors: 0, latency: new LatencyRecorder() };
      const window = windowFromNow(options.warmupMs, options.durationMs);
      const sending = { from: now(), until: window.until };
      const label = `many clients: ${options.clients}`;
      await timedPhase(progress, label, options.warmupMs + options.durationMs, () =>
        Promise.all(clients.map((client, id) => driveClient(client, id, options, window, tally))),
      );
      const { latency, ...counts } = tally;
      return { clients: options.clients, intervalMs: options.intervalMs, connectMs, seconds: windowSeconds(sending), ...counts, latency: latency.summary() };
    });
  });
  if (!result) throw new Error('no server for the many-clients scenario');
  return result;
}

/** Sends on a fixed schedule (staggered by client, so the sends spread over the period). */
async function driveClient(client: AzcamClient, id: number, options: ManyClientsOptions, window: Window, tally: Tally): Promise<void> {
  const period = msToNs(options.intervalMs);
  const replies: Promise<void>[] = [];
  let next = now() + (period * BigInt(id)) / BigInt(options.clients);
  for (let seq = 1; next < window.until; seq++, next += period) {
    await sleepUntil(next);
    replies.push(echo(client, id, seq, window, tally));
  }
  await Promise.all(replies);
}

async function echo(client: AzcamClient, id: number, seq: number, window: Window, tally: Tally): Promise<void> {
  const text = `${id}-${seq}`;
  tally.sent++;
  const sent = now();
  let reply: string;
  try {
    reply = await client.raw(`echo ${text}`);
  } catch (error) {
    tally.missing++;
    tally.firstError ??= (error as Error).message;
    return;
  }
  const received = now();
  tally.received++;
  if (reply === `OK ${text}`) {
    if (sent >= window.from) tally.latency.record(received - sent);
  } else if (/^OK \d+-\d+$/.test(reply)) {
    tally.outOfOrder++;
  } else {
    tally.errors++;
    tally.firstError ??= reply;
  }
}
