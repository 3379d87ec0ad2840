import { BroadcastChannel } from 'node:worker_threads';

/** The channel between a spec and held-readout-worker.ts: messages are `<word> <subject>`. */
export const HELD_CHANNEL = 'azcam-held-readout-worker';

/** Said to every worker: nothing is held any more (so a pool can close after a failed spec). */
export const LET_ALL_GO = 'go';

/**
 * The spec's side of held-readout-worker.ts: hears a thread start loading the worker, and a
 * readout's file written; the thread, or the readout's return, waits until the spec lets it go on.
 */
export class HeldThreads {
  readonly #channel = new BroadcastChannel(HELD_CHANNEL);
  readonly #unread: string[] = [];
  readonly #listeners: ((message: string) => boolean)[] = [];

  constructor() {
    this.#channel.onmessage = (event) => this.#hear(String(event.data));
  }

  /** The id of the next thread that loads the worker; its start waits for `start`. */
  starting(): Promise<string> {
    return this.#next('starting');
  }

  start(thread: string): void {
    this.#channel.postMessage(`start ${thread}`);
  }

  /** The file of the next readout written; the thread holds the readout until `finish`. */
  written(): Promise<string> {
    return this.#next('written');
  }

  finish(file: string): void {
    this.#channel.postMessage(`finish ${file}`);
  }

  /** Ends the readout as a failed flush of the image's folder does: written, but not durable. */
  failFolderFlush(file: string): void {
    this.#channel.postMessage(`unflushed ${file}`);
  }

  /** Lets every thread and readout go on, now and from now on; then stops listening. */
  close(): void {
    this.#channel.postMessage(LET_ALL_GO);
    this.#channel.close();
  }

  #next(word: string): Promise<string> {
    return new Promise((resolve) => {
      const take = (message: string): boolean => {
        const [said, subject] = splitMessage(message);
        if (said === word) resolve(subject);
        return said === word;
      };
      const index = this.#unread.findIndex(take);
      if (index >= 0) this.#unread.splice(index, 1);
      else this.#listeners.push(take);
    });
  }

  #hear(message: string): void {
    const index = this.#listeners.findIndex((take) => take(message));
    if (index >= 0) this.#listeners.splice(index, 1);
    else this.#unread.push(message);
  }
}

function splitMessage(message: string): [word: string, subject: string] {
  const space = message.indexOf(' ');
  return [message.slice(0, space), message.slice(space + 1)];
}
