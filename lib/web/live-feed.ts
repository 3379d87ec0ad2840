/**
 * Pushes status to every open status page. One timer takes one snapshot for all of them and sends
 * it only when it changed, so ten pages cost what one does (no polling storm); the timer runs
 * only while a page is open.
 */
import { log } from '../log.js';

export type Subscriber = (json: string) => void;

export class LiveFeed {
  /** Each subscriber with the last snapshot it was sent. */
  readonly #subscribers = new Map<Subscriber, string>();
  #timer: NodeJS.Timeout | undefined;
  #taking = false;

  constructor(
    private readonly snapshot: () => Promise<unknown>,
    private readonly intervalMs = 500,
  ) {}

  get subscribers(): number {
    return this.#subscribers.size;
  }

  /** Sends `subscriber` the current snapshot at once, then each change; returns the unsubscribe. */
  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.set(subscriber, '');
    this.snapshot().then(
      (value) => this.#send(subscriber, JSON.stringify(value)),
      (error: unknown) => log.warn('status snapshot failed', { error: String(error) }),
    );
    this.#timer ??= setInterval(() => void this.#tick(), this.intervalMs);
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.close();
    };
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#taking) return;
    this.#taking = true;
    try {
      const json = JSON.stringify(await this.snapshot());
      for (const subscriber of this.#subscribers.keys()) this.#send(subscriber, json);
    } catch (error) {
      log.warn('status snapshot failed', { error: String(error) });
    } finally {
      this.#taking = false;
    }
  }

  #send(subscriber: Subscriber, json: string): void {
    const last = this.#subscribers.get(subscriber);
    if (last === undefined || last === json) return;
    this.#subscribers.set(subscriber, json);
    subscriber(json);
  }
}
