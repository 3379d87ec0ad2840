import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

/** A raw test client: writes bytes, and hands out reply lines in order as they arrive. */
export class LineClient {
  readonly socket: Socket;
  /** Resolves when the server closes the connection. */
  readonly ended: Promise<void>;
  private buffer = '';
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string | undefined) => void)[] = [];
  private isEnded = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.receive(text));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) =>
      socket.on('close', () => {
        this.isEnded = true;
        for (const waiter of this.waiters.splice(0)) waiter(undefined);
        resolve();
      }),
    );
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<LineClient> {
    const socket = connect({ port, host });
    await once(socket, 'connect');
    return new LineClient(socket);
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** The next reply line (without `\r\n`); undefined once the server has closed the connection. */
  nextLine(): Promise<string | undefined> {
    const line = this.lines.shift();
    if (line !== undefined || this.isEnded) return Promise.resolve(line);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async nextLines(count: number): Promise<(string | undefined)[]> {
    const result: (string | undefined)[] = [];
    for (let i = 0; i < count; i++) result.push(await this.nextLine());
    return result;
  }

  /** Sends one command and waits for its reply. */
  async command(line: string): Promise<string | undefined> {
    this.send(`${line}\n`);
    return this.nextLine();
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    }
  }
}

/** The clients a test opens, all closed by `closeAll()` (call it in afterEach). */
export class LineClients {
  private readonly open: LineClient[] = [];

  async connect(port: number): Promise<LineClient> {
    const client = await LineClient.connect(port);
    this.open.push(client);
    return client;
  }

  closeAll(): void {
    for (const client of this.open.splice(0)) client.close();
  }
}
