import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ConnectionClosedError, ParseError, RemoteError, TimeoutError } from './errors.js';
import { CoalescedWriter } from './net/coalesced-write.js';
import { LineFramer } from './protocol/framer.js';
import { DEFAULT_HOST, DEFAULT_PORT } from './protocol/endpoint.js';
import { errorText, hasReplyStatus, splitReply } from './protocol/reply.js';
import { shlexQuote, shlexSplit } from './protocol/tokenize.js';

export interface ClientOptions {
  host?: string;
  port?: number;
  /** How long to wait for the connection and for each reply; 0 = forever. Default 30 s. */
  timeoutMs?: number;
  /**
   * Wait in connect() for the server's welcome line (it runs with `--welcome`). Without this the
   * welcome is still recognised when it arrives, and kept in `client.welcome`; see `receive`.
   */
  welcome?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Replies can be long (keyword lists) but never this long; past it the connection is dropped. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

interface PendingReply {
  resolve(line: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
  /** Timed out: the reply, when it comes, is dropped, but the slot keeps replies in order. */
  expired: boolean;
}

/**
 * A client for lab scripts, with the azcam console's reply semantics (see `parseReply`).
 * Commands may be pipelined: each is written at once, and replies are matched in order.
 */
export class AzcamClient {
  /** The server's welcome line once it has arrived; set by connect() itself with `welcome: true`. */
  welcome: string | undefined;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;

  private readonly framer = new LineFramer(MAX_REPLY_BYTES);
  private readonly pending: PendingReply[] = [];
  private readonly inFlight = new Set<Promise<string>>();
  private readonly output: CoalescedWriter;
  private closedBecause: Error | undefined;
  private sawFirstLine = false;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    this.output = new CoalescedWriter(socket);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.failPending(error));
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.failPending(new ConnectionClosedError('connection closed'));
        resolve();
      }),
    );
  }

  static async connect(options: ClientOptions = {}): Promise<AzcamClient> {
    const { host = DEFAULT_HOST, port = DEFAULT_PORT, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    const socket = connect({ host, port });
    try {
      await once(socket, 'connect', timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {});
    } catch (error) {
      socket.destroy();
      if ((error as Error).name === 'AbortError') throw new TimeoutError(`cannot connect to ${host}:${port} within ${timeoutMs} ms`);
      throw error;
    }
    const client = new AzcamClient(socket, timeoutMs);
    if (options.welcome) {
      client.sawFirstLine = true; // taken as the welcome whatever it says
      client.welcome = await client.nextLine('(welcome line)', timeoutMs);
    }
    return client;
  }

  /** Sends one command; resolves with its parsed reply, or throws RemoteError for an ERROR reply. */
  async command(line: string, timeoutMs = this.timeoutMs): Promise<unknown> {
    return parseReply(await this.raw(line, timeoutMs));
  }

  /** Sends one command; resolves with the reply line itself (without `\r\n`), whatever its status. */
  raw(line: string, timeoutMs = this.timeoutMs): Promise<string> {
    if (/[\r\n]/.test(line)) return Promise.reject(new RangeError('a command must be a single line'));
    if (this.closedBecause) return Promise.reject(this.closedBecause);
    this.output.write(`${line}\n`);
    return this.nextLine(line, timeoutMs);
  }

  /** Names this connection in the server's logs and status (`register NAME`). */
  async register(name: string): Promise<void> {
    await this.command(`register ${shlexQuote(name)}`);
  }

  /** Waits for the replies to commands already sent, then hangs up. */
  async close(): Promise<void> {
    this.closedBecause ??= new ConnectionClosedError('client closed');
    await Promise.allSettled(this.inFlight);
    this.output.end();
    await this.closed;
  }

  private nextLine(command: string, timeoutMs: number): Promise<string> {
    const reply = new Promise<string>((resolve, reject) => {
      const entry: PendingReply = { resolve, reject, timer: undefined, expired: false };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          entry.expired = true;
          reject(new TimeoutError(`no reply to "${command}" within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.push(entry);
    });
    const forget = (): boolean => this.inFlight.delete(reply);
    this.inFlight.add(reply);
    reply.then(forget, forget);
    return reply;
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.framer.push(chunk)) {
      if (frame.kind === 'tooLong') {
        this.socket.destroy(new ConnectionClosedError(`reply longer than ${MAX_REPLY_BYTES} bytes`));
        return;
      }
      if (this.isWelcome(frame.line)) {
        this.welcome = frame.line;
        continue;
      }
      const entry = this.pending.shift();
      if (!entry || entry.expired) continue;
      clearTimeout(entry.timer);
      entry.resolve(frame.line);
    }
  }

  /**
   * The server writes its welcome before reading anything, so it can only be the first line; and
   * every reply starts with a status word, which a welcome line does not.
   */
  private isWelcome(line: string): boolean {
    const first = !this.sawFirstLine;
    this.sawFirstLine = true;
    return first && !hasReplyStatus(line);
  }

  private failPending(error: Error): void {
    this.closedBecause ??= error;
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      if (!entry.expired) entry.reject(error);
    }
  }
}

/**
 * The one reading of a reply, whatever the command: `ERROR`/`WARNING` throws RemoteError; `OK`
 * alone is undefined; text that is a JSON object (the server's form for an object result, such as
 * `get_status` or `exposure.get_status`) is that object; any other text is split with shlex rules,
 * one word giving a string and several an array. Text that shlex cannot split (an unbalanced
 * quote, as in `OK don't`) is returned whole rather than failing.
 */
export function parseReply(line: string): unknown {
  const { status, text } = splitReply(line);
  if (status !== 'OK') throw new RemoteError(errorText(text), line);
  if (text === '') return undefined;
  const object = jsonObject(text);
  if (object) return object;
  const words = splitWords(text);
  return words.length === 1 ? words[0] : words;
}

/** The object `text` is in JSON, or undefined when it is not one. */
function jsonObject(text: string): object | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as object;
  } catch {
    return undefined;
  }
}

function splitWords(text: string): string[] {
  try {
    return shlexSplit(text);
  } catch (error) {
    if (error instanceof ParseError) return [text];
    throw error;
  }
}
