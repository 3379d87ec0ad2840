import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { log } from '../log.js';
import { AccessDeniedError, ListenError, ShuttingDownError, TooManyConnectionsError } from '../errors.js';
import { formatError } from '../protocol/reply.js';
import { Dispatcher, type CommandObserver } from '../dispatch/dispatcher.js';
import type { ToolRegistry } from '../dispatch/registry.js';
import type { ServerControl } from '../dispatch/session.js';
import { AccessList } from './access.js';
import { builtins } from './builtins.js';
import { CLOSE_GRACE_MS, Connection, TERMINATOR } from './connection.js';
import { InputBudget } from './input-budget.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../protocol/endpoint.js';
import { connectionLimits, DEFAULT_MAX_CONNECTIONS, type ConnectionLimits } from './limits.js';

export interface CommandServerOptions extends Partial<ConnectionLimits> {
  port?: number;
  /** Listening address; loopback unless told otherwise. */
  host?: string;
  /** Sent to each client on connect, `\r\n` terminated. */
  welcome?: string;
  allowExit?: boolean;
  /** Client addresses or CIDR ranges allowed to connect; empty = all. */
  allow?: readonly string[];
  /** Called when a client sends an allowed `exit`; default: stop this server. */
  onExit?: () => void;
  /** Clients served at once; more are refused with `ERROR too many connections` (default 1024). */
  maxConnections?: number;
  /** Told of every command's outcome (metrics). */
  observer?: CommandObserver;
  /** Told of every connection accepted or refused (metrics). */
  onConnection?: (event: ConnectionEvent) => void;
}

export type ConnectionEvent = 'opened' | 'closed' | 'refused';

/** Accepts TCP clients and gives each a Connection on the one shared Dispatcher. */
export class CommandServer implements ServerControl {
  readonly allowExit: boolean;
  /** The one dispatcher, shared with the web API so that both run the same code. */
  readonly dispatcher: Dispatcher;
  private readonly server: Server;
  private readonly limits: ConnectionLimits;
  private readonly access: AccessList;
  private readonly connections = new Set<Connection>();
  private readonly budget: InputBudget;
  /** Refused sockets still closing; stop() ends them (server.close would wait for them). */
  private readonly refused = new Set<Socket>();
  private nextId = 1;
  private stopped: Promise<void> | undefined;

  constructor(
    tools: ToolRegistry,
    private readonly options: CommandServerOptions = {},
  ) {
    this.allowExit = options.allowExit ?? false;
    this.limits = connectionLimits(options);
    this.budget = new InputBudget(this.limits.maxTotalQueuedBytes);
    this.access = new AccessList(options.allow);
    this.dispatcher = new Dispatcher(tools, builtins(this), options.observer);
    // Half-open: a client may send its commands and close its side; it still gets every reply.
    this.server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
  }

  /** Listens; resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    const { port = DEFAULT_PORT, host = DEFAULT_HOST } = this.options;
    this.server.listen({ port, host });
    try {
      await once(this.server, 'listening');
    } catch (error) {
      throw new ListenError(host, port, (error as NodeJS.ErrnoException).code);
    }
    return this.port;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get clientCount(): number {
    return this.connections.size;
  }

  /** Bytes of received commands not yet run, over all connections. */
  get queuedInputBytes(): number {
    return this.budget.used;
  }

  /** Stops accepting; running commands finish and reply; then every connection closes. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  requestStop(): void {
    log.info('exit requested by a client');
    setImmediate(() => (this.options.onExit ? this.options.onExit() : void this.stop()));
  }

  private async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.refused) socket.destroy();
    await Promise.all([...this.connections].map((connection) => connection.stop()));
    await closed;
    log.info('command server stopped');
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    if (this.stopped || !this.access.allows(address)) {
      log.warn('client refused', { address, reason: this.stopped ? 'stopping' : 'not in --allow' });
      this.refused.add(socket);
      socket.on('close', () => this.refused.delete(socket));
      this.options.onConnection?.('refused');
      socket.on('error', () => socket.destroy());
      socket.end(formatError(this.stopped ? new ShuttingDownError() : new AccessDeniedError()) + TERMINATOR);
      // A peer that never closes its side must not keep the socket open.
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      return;
    }
    if (this.connections.size >= (this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS)) {
      this.refuseTooMany(socket);
      return;
    }
    const connection = new Connection(this.nextId++, socket, this.dispatcher, this.limits, this.budget);
    this.connections.add(connection);
    this.options.onConnection?.('opened');
    void connection.closed.then(() => {
      this.connections.delete(connection);
      this.options.onConnection?.('closed');
    });
    if (this.options.welcome) connection.send(this.options.welcome);
  }

  /**
   * Refused at once, its file descriptor closed as soon as the line is sent: a flood of clients
   * must not use up the descriptors an image write needs.
   */
  private refuseTooMany(socket: Socket): void {
    log.warn('client refused', { address: socket.remoteAddress, reason: 'too many connections', connections: this.connections.size });
    this.options.onConnection?.('refused');
    socket.on('error', () => socket.destroy());
    socket.end(formatError(new TooManyConnectionsError()) + TERMINATOR, () => socket.destroy());
  }
}
