/**
 * The light-command load: lanes that each send a command, wait for its reply, and send the next.
 * One lane per connection is ping-pong; D lanes on one connection keep D commands pipelined.
 */
import type { AzcamClient } from '../../lib/client.js';
import { now, type Window } from './clock.js';
import { LatencyRecorder } from './recorder.js';
import { isOkReply } from '../../lib/protocol/reply.js';

export interface LaneTally {
  /** Replies received inside the window. */
  replies: number;
  /** Of those, not `OK`. */
  errors: number;
  firstError?: string;
  /** Latency of the commands sent and answered inside the window. */
  latency: LatencyRecorder;
}

/**
 * `depth` lanes on each client until the window ends; resolves when every lane has its last reply
 * (bounded: each reply by the client's timeout).
 */
export async function runLanes(clients: AzcamClient[], depth: number, command: string, window: Window): Promise<LaneTally> {
  const tally: LaneTally = { replies: 0, errors: 0, latency: new LatencyRecorder() };
  const lanes = clients.flatMap((client) => Array.from({ length: depth }, () => lane(client, command, window, tally)));
  await Promise.all(lanes);
  return tally;
}

async function lane(client: AzcamClient, command: string, window: Window, tally: LaneTally): Promise<void> {
  for (let sent = now(); sent < window.until; sent = now()) {
    const reply = await client.raw(command);
    const received = now();
    if (sent < window.from || received >= window.until) continue;
    tally.replies++;
    tally.latency.record(received - sent);
    if (!isOkReply(reply)) {
      tally.errors++;
      tally.firstError ??= reply;
    }
  }
}
