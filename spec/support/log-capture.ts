import { Writable } from 'node:stream';
import winston from 'winston';
import { log } from '../../lib/log.js';

export type LogEntry = { level: string; message: string } & Record<string, unknown>;

/** How long `waitFor` waits for an entry: inside mocha's 20 s, so the failure names what is missing. */
const WAIT_MS = 15_000;

/** Collects the server's log entries (the process-wide winston logger, debug and up) until `stop()`. */
export class LogCapture {
  readonly entries: LogEntry[] = [];
  readonly #waiters: { match: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void }[] = [];
  readonly #transport: winston.transport;

  constructor() {
    const stream = new Writable({
      objectMode: true,
      write: (entry: LogEntry, _encoding, done) => {
        this.entries.push(entry);
        for (const waiter of this.#waiters.filter((w) => w.match(entry))) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
        done();
      },
    });
    this.#transport = new winston.transports.Stream({ stream, level: 'debug' });
    log.add(this.#transport);
  }

  /**
   * The first entry, logged already or still to come, with this message (or one of these) and
   * these field values; fails after WAIT_MS, listing what was logged.
   */
  waitFor(message: string | readonly string[], fields: Record<string, unknown> = {}): Promise<LogEntry> {
    const messages = ([] as string[]).concat(message);
    const match = (entry: LogEntry): boolean =>
      messages.includes(entry.message) && Object.entries(fields).every(([key, value]) => entry[key] === value);
    const found = this.entries.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const wanted = `"${messages.join('" or "')}" with ${JSON.stringify(fields)}`;
        reject(new Error(`no log entry ${wanted} within ${WAIT_MS} ms; logged: ${JSON.stringify(this.entries)}`));
      }, WAIT_MS);
      this.#waiters.push({ match, resolve: (entry) => (clearTimeout(timer), resolve(entry)) });
    });
  }

  stop(): void {
    log.remove(this.#transport);
  }
}
