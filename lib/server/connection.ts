import type { Socket } from 'node:net';
import { log } from '../log.js';
import { CoalescedWriter } from '../net/coalesced-write.js';
import { LineTooLongError, ShuttingDownError } from '../errors.js';
import { LineFramer } from '../protocol/framer.js';
import { formatError } from '../protocol/reply.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { Session } from '../dispatch/session.js';
import { isLoopbackAddress } from './access.js';
import type { InputBudget } from './input-budget.js';
import type { ConnectionLimits } from './limits.js';

/** Ends every line the server writes. */
export const TERMINATOR = '\r\n';
/** How long a peer may take to close its side after the server has closed its own. */
export const CLOSE_GRACE_MS = 2000;
/** Where a line too long stood among the received commands: it is answered in turn, then the connection closes. */
const LINE_TOO_LONG = Symbol('line too long');
/** A received command line, or where a line too long was. */
type Pending = string | typeof LINE_TOO_LONG;
const LINE_TOO_LONG_REPLY = formatError(new LineTooLongError());
/** What a queued command holds beyond its text (the entry, the string's header), counted against the byte limits. */
const QUEUE_ENTRY_BYTES = 64;

function queuedCost(pending: Pending): number {
  return pending === LINE_TOO_LONG ? 0 : pending.length + QUEUE_ENTRY_BYTES;
}

/**
 * Where a connection is in its life. It only moves forward, in this order (a later phase wins:
 * `stop()` during `closing` stays `closing`), and any phase may jump to `closed`:
 *
 *   open ─▶ peer-ended ─▶ stopping ─▶ closing ─▶ closed
 */
type Phase =
  /** Reading and running commands. */
  | 'open'
  /** The client has finished sending (a half-close, e.g. `nc -N`): run what it sent, reply, then close. */
  | 'peer-ended'
  /** The server is stopping: the running command replies, queued ones are refused, then close. */
  | 'stopping'
  /** Close after the current reply (`closeconnection`, a line too long); queued commands are not run. */
  | 'closing'
  /** The socket has closed. */
  | 'closed';

const PHASE_ORDER: readonly Phase[] = ['open', 'peer-ended', 'stopping', 'closing', 'closed'];

/**
 * One client. Its commands run strictly one after another, in the order received, and each gets
 * exactly one reply line, written in that same order. Different connections run concurrently.
 */
export class Connection implements Session {
  name: string;
  readonly address: string;
  readonly isLoopback: boolean;
  /** Resolves when the socket is closed and the last command has finished. */
  readonly closed: Promise<void>;

  private readonly framer: LineFramer;
  private readonly output: CoalescedWriter;
  private readonly queue: Pending[] = [];
  /** What `queue` holds, counted as `queuedCost` does; also taken from the server-wide budget. */
  private queuedBytes = 0;
  private phase: Phase = 'open';
  /** The command loop (`drain`) is running a command or waiting for the client to read. */
  private running = false;
  /** Set while the command flow waits for the client to read its replies; calling it stops the wait. */
  private wakeWriter: (() => void) | undefined;
  /**
   * Fires when the client has sent no complete command (and had no reply) for the idle timeout.
   * Not the socket's own timeout: any byte resets that, so a client trickling one byte a second
   * (slowloris) would never be idle.
   */
  private idleTimer: NodeJS.Timeout | undefined;
  private markFinished!: () => void;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly dispatcher: Dispatcher,
    private readonly limits: ConnectionLimits,
    private readonly budget: InputBudget,
  ) {
    this.name = `client_${id}`;
    this.address = socket.remoteAddress ?? 'unknown';
    this.isLoopback = isLoopbackAddress(this.address);
    this.framer = new LineFramer(limits.maxLine);
    this.output = new CoalescedWriter(socket);
    this.closed = new Promise((resolve) => (this.markFinished = resolve));
    this.listen();
  }

  closeAfterReply(): void {
    this.advance('closing');
  }

  /** Graceful stop: the running command finishes and replies; queued ones are refused; then close. */
  stop(): Promise<void> {
    this.advance('stopping');
    this.socket.pause();
    // A running command replies first; drain() then refuses the queued ones, in order.
    if (this.running) this.wakeWriter?.();
    else this.afterDrain();
    return this.closed;
  }

  /** Writes a line outside the command flow (welcome, access denied). */
  send(line: string): void {
    this.write(line);
  }

  private listen(): void {
    const { socket } = this;
    socket.setNoDelay(true);
    if (this.limits.idleTimeoutMs > 0) this.idleTimer = setTimeout(() => this.dropIdle(), this.limits.idleTimeoutMs).unref();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('error', (error) => this.onSocketError(error));
    socket.on('close', () => this.onSocketClose());
    log.info('client connected', { client: this.name, address: this.address });
  }

  private receive(chunk: Buffer): void {
    const queued = this.queue.length;
    for (const frame of this.framer.push(chunk)) {
      if (frame.kind === 'line') {
        this.enqueue(frame.line);
      } else {
        log.warn('line too long, closing connection', { client: this.name, limit: this.limits.maxLine });
        this.enqueue(LINE_TOO_LONG);
        this.socket.pause();
      }
    }
    if (this.queue.length > queued) this.idleTimer?.refresh();
    this.pauseIfFull();
    void this.drain();
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    this.queuedBytes += queuedCost(pending);
    this.budget.take(queuedCost(pending));
  }

  private dequeue(): Pending {
    const pending = this.queue.shift()!;
    this.queuedBytes -= queuedCost(pending);
    this.budget.give(queuedCost(pending));
    return pending;
  }

  private clearQueue(): Pending[] {
    const all = this.queue.splice(0);
    this.budget.give(this.queuedBytes);
    this.queuedBytes = 0;
    return all;
  }

  /**
   * Stops reading while this connection holds as much queued input as it may, or while all of them
   * together do and this one has commands waiting: a client with none (a console's next
   * `get_status`, an `abort`) is still read.
   */
  private pauseIfFull(): void {
    const { maxQueuedCommands, maxQueuedBytes } = this.limits;
    if (this.queue.length < maxQueuedCommands && this.queuedBytes < maxQueuedBytes && !this.waitsForBudget) return;
    this.socket.pause();
    if (this.waitsForBudget) this.budget.whenAvailable(this.resumeReading);
  }

  private get waitsForBudget(): boolean {
    return this.budget.exhausted && this.queuedBytes > 0;
  }

  /** Reads again once this connection's queue is down to half its limits and the server-wide budget allows. */
  private readonly resumeReading = (): void => {
    const { maxQueuedCommands, maxQueuedBytes } = this.limits;
    if (this.gone || !this.runsCommands || this.queue.length >= maxQueuedCommands / 2 || this.queuedBytes >= maxQueuedBytes / 2) return;
    if (this.waitsForBudget) this.budget.whenAvailable(this.resumeReading);
    else this.socket.resume();
  };

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // Commands that answer at once run in this loop without a promise; only a waiting one is awaited.
      while (this.queue.length && !this.gone && this.runsCommands) {
        const waiting = this.runNext(this.dequeue());
        if (waiting) await waiting;
        if (this.outputBacklogged) await this.waitForOutputRoom();
        this.resumeReading();
      }
    } finally {
      this.running = false;
    }
    this.afterDrain();
  }

  private afterDrain(): void {
    if (this.phase === 'stopping') this.refuseQueued();
    if (this.phase !== 'open') this.end();
    if (this.phase === 'closed') this.markFinished();
  }

  /** Moves to `next` unless the connection is already there or further along. */
  private advance(next: Phase): void {
    if (PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf(this.phase)) this.phase = next;
  }

  private get runsCommands(): boolean {
    return this.phase === 'open' || this.phase === 'peer-ended';
  }

  private refuseQueued(): void {
    for (const pending of this.clearQueue()) {
      this.write(pending === LINE_TOO_LONG ? LINE_TOO_LONG_REPLY : formatError(new ShuttingDownError()));
    }
  }

  /** Destroyed by us, or closed. */
  private get gone(): boolean {
    return this.phase === 'closed' || this.socket.destroyed;
  }

  /** Runs one queued command and writes its reply: at once, or when the returned promise settles. */
  private runNext(pending: Pending): Promise<void> | undefined {
    if (pending === LINE_TOO_LONG) {
      this.write(LINE_TOO_LONG_REPLY);
      this.advance('closing');
      return undefined;
    }
    const reply = this.dispatcher.execute(pending, this);
    if (typeof reply !== 'string') return reply.then((later) => this.deliver(pending, later));
    this.deliver(pending, reply);
    return undefined;
  }

  private deliver(line: string, reply: string): void {
    if (this.phase === 'closed') {
      log.warn('client gone, reply lost', { client: this.name, command: line, reply });
    } else {
      // Sent all the same (a half-closing client reads it), and logged: if the client is gone, it is lost.
      if (this.socket.readableEnded) log.info('reply after client closed its side', { client: this.name, command: line, reply });
      this.write(reply);
    }
    this.idleTimer?.refresh();
  }

  /** The client has not read enough of its replies for more commands to run (a graceful stop runs on). */
  private get outputBacklogged(): boolean {
    return this.output.backlog > this.limits.outputHighWater && !this.gone && this.phase !== 'stopping';
  }

  /** A client that does not read its replies stops its own command flow, then is dropped. */
  private async waitForOutputRoom(): Promise<void> {
    // Only what the system has not taken counts: this tick's replies go to the socket first.
    this.output.flush();
    if (this.socket.writableLength <= this.limits.outputHighWater) return;
    if (this.socket.writableLength > this.limits.outputLimit) {
      log.warn('client not reading its replies, dropping it', { client: this.name, unsent: this.socket.writableLength });
      this.socket.destroy();
      return;
    }
    this.socket.pause();
    // Not events.once: it rejects on 'error' and leaves its listeners behind on every wait.
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        this.socket.off('drain', wake).off('close', wake);
        this.wakeWriter = undefined;
        resolve();
      };
      this.wakeWriter = wake;
      this.socket.on('drain', wake).on('close', wake);
    });
  }

  private write(line: string): void {
    if (this.phase === 'closed') return; // a command's lost reply is logged by deliver()
    if (this.socket.writable) this.output.write(line + TERMINATOR);
    else log.warn('client gone, reply lost', { client: this.name, reply: line });
  }

  /** Half-closes; a peer that never closes its side is destroyed after a grace period. */
  private end(): void {
    if (this.phase === 'closed' || this.socket.writableEnded) return;
    this.output.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private dropIdle(): void {
    // A command still running keeps its client; a client that does not read its replies does not.
    if (this.running && !this.wakeWriter) {
      this.idleTimer?.refresh();
      return;
    }
    log.info('idle client dropped', { client: this.name, idleMs: this.limits.idleTimeoutMs });
    this.socket.destroy();
  }

  private onPeerEnd(): void {
    this.advance('peer-ended');
    log.debug('client finished sending', { client: this.name });
    if (this.framer.bufferedBytes) log.debug('unterminated last line ignored', { client: this.name, bytes: this.framer.bufferedBytes });
    if (!this.running) this.afterDrain();
  }

  /** After a half-close the server still writes its replies; a peer that had really gone resets. */
  private onSocketError(error: Error): void {
    if (this.socket.readableEnded) log.warn('client gone, replies lost', { client: this.name, error: error.message });
    else log.debug('socket error', { client: this.name, error: error.message });
  }

  private onSocketClose(): void {
    this.advance('closed');
    clearTimeout(this.idleTimer);
    const dropped = this.clearQueue().filter((pending) => pending !== LINE_TOO_LONG).length;
    if (dropped) log.warn('client gone, queued commands not run', { client: this.name, dropped });
    this.budget.forget(this.resumeReading);
    log.info('client disconnected', { client: this.name });
    if (!this.running) this.markFinished();
  }
}
