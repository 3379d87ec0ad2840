/**
 * The light-command load, run as a process of its own (load-process.ts) so that the rate measured
 * is the server's: `connections` sockets to host:port, each keeping `depth` commands in flight
 * until the window ends.
 *
 * Raw sockets, no client library: a reply is counted at its newline, and the replies that came in
 * one read are answered with as many commands in one write, so the generator needs a fraction of
 * the CPU the server does and the rate measured is the server's.
 */
import { connect, type Socket } from 'node:net';
import { childDeadlineMs, runChild } from './child.js';
import { hasReplyStatus } from '../../lib/protocol/reply.js';
import { LatencyRecorder, type LatencySummary } from './recorder.js';

export interface LoadSpec {
  host: string;
  port: number;
  command: string;
  connections: number;
  /** Commands in flight per connection. */
  depth: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Replies to commands sent and answered inside the window. */
  replies: number;
  /** Every reply received, the warm-up's and the window's last ones too: what the server did in the run. */
  allReplies: number;
  /** Of those, not OK. */
  errors: number;
  firstError?: string;
  seconds: number;
  latency: LatencySummary;
  /** The generator's own CPU time over the run, for judging whether it held the server back. */
  cpuSeconds: number;
}

const NEWLINE = 0x0a;

interface Tally {
  replies: number;
  allReplies: number;
  errors: number;
  firstError?: string;
  latency: LatencyRecorder;
}

/** One connection's lane: send times of the commands in flight, oldest first (replies come in order). */
class Lane {
  readonly #sentAt: Float64Array;
  #oldest = 0;
  #inFlight = 0;
  /** No line has come yet (it may be a welcome). */
  #first = true;
  /** The start of a reply whose newline has not come yet. */
  #partial: Buffer[] = [];
  readonly done: Promise<void>;
  #finish!: () => void;

  constructor(
    private readonly socket: Socket,
    private readonly batch: Buffer,
    private readonly commandBytes: number,
    private readonly window: { from: number; until: number },
    private readonly tally: Tally,
  ) {
    this.#sentAt = new Float64Array(batch.length / commandBytes);
    this.done = new Promise((resolve) => (this.#finish = resolve));
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('close', () => this.#finish());
    // A server that resets or closes the connection ends the lane: what was counted stands.
    socket.on('error', () => socket.destroy());
    this.#send(this.#sentAt.length);
  }

  #send(count: number): void {
    const at = performance.now();
    if (at >= this.window.until) {
      if (this.#inFlight === 0) this.socket.destroy(); // every reply is in: no need to wait for the server to close
      return;
    }
    for (let i = 0; i < count; i++) this.#sentAt[(this.#oldest + this.#inFlight + i) % this.#sentAt.length] = at;
    this.#inFlight += count;
    this.socket.write(count === this.#sentAt.length ? this.batch : this.batch.subarray(0, count * this.commandBytes));
  }

  #receive(chunk: Buffer): void {
    const received = performance.now();
    let answered = 0;
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      let answers: boolean;
      if (this.#partial.length) {
        const line = Buffer.concat([...this.#partial, chunk.subarray(start, end)]);
        this.#partial = [];
        answers = this.#reply(line, 0, line.length, received);
      } else {
        answers = this.#reply(chunk, start, end, received);
      }
      if (answers) answered++;
      start = end + 1;
    }
    if (start < chunk.length) this.#partial.push(Buffer.from(chunk.subarray(start)));
    if (answered) this.#send(answered);
  }

  /** The line in bytes [start, end) of `bytes`; whether it answered a command. */
  #reply(bytes: Buffer, start: number, end: number, received: number): boolean {
    if (this.#first) {
      this.#first = false;
      // A server started with --welcome greets first: that line answers no command.
      if (!hasReplyStatus(bytes.toString('utf8', start, end))) return false;
    }
    const sent = this.#sentAt[this.#oldest];
    this.#oldest = (this.#oldest + 1) % this.#sentAt.length;
    this.#inFlight--;
    this.tally.allReplies++;
    if (sent < this.window.from || received >= this.window.until) return true;
    const { tally } = this;
    tally.replies++;
    tally.latency.record((received - sent) * 1e6);
    if (!isOk(bytes, start, end)) {
      tally.errors++;
      tally.firstError ??= bytes.toString('utf8', start, end).trimEnd();
    }
    return true;
  }
}

/** Whether bytes [start, end) begin with the status word OK. */
function isOk(bytes: Buffer, start: number, end: number): boolean {
  const after = bytes[start + 2];
  return bytes[start] === 0x4f && bytes[start + 1] === 0x4b && (start + 2 === end || after === 0x20 || after === 0x0d);
}

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  // One line, one reply: the lanes match replies to commands by count.
  if (/[\r\n]/.test(spec.command)) throw new RangeError('the light command must be a single line');
  const command = Buffer.from(`${spec.command}\n`);
  const batch = Buffer.concat(Array.from({ length: spec.depth }, () => command));
  const sockets = await Promise.all(Array.from({ length: spec.connections }, () => opened(spec.host, spec.port)));
  const cpuBefore = process.cpuUsage();
  const from = performance.now() + spec.warmupMs;
  const window = { from, until: from + spec.durationMs };
  const tally: Tally = { replies: 0, allReplies: 0, errors: 0, latency: new LatencyRecorder() };
  const lanes = sockets.map((socket) => new Lane(socket, batch, command.length, window, tally));
  await Promise.all(lanes.map((lane) => lane.done));
  const cpu = process.cpuUsage(cpuBefore);
  const { latency, ...counts } = tally;
  return { ...counts, seconds: spec.durationMs / 1000, latency: latency.summary(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function opened(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.off('error', reject);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Runs generateLoad in a process of its own and resolves with its result. */
export function runLoadProcess(spec: LoadSpec): Promise<LoadResult> {
  return runChild(new URL('./load-process.js', import.meta.url), spec, childDeadlineMs(spec.warmupMs, spec.durationMs));
}
