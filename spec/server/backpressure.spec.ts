import { expect } from 'chai';
import { LineClient, LineClients } from '../support/line-client.js';
import { LogCapture } from '../support/log-capture.js';
import { startServer, type TestServer } from '../support/test-tools.js';

const REPLY = 64 * 1024;
const COMMANDS = 400; // 26 MB of replies: far more than the kernel's socket buffers hold

describe('slow clients (backpressure)', () => {
  let test: TestServer;
  const clients = new LineClients();
  const client = (): Promise<LineClient> => clients.connect(test.port);

  /** A client that sends `count` commands with `size`-byte replies and does not read them. */
  async function nonReader(count: number, size: number): Promise<LineClient> {
    const c = await client();
    c.socket.pause();
    c.send(`test.large ${size}\n`.repeat(count));
    return c;
  }

  /**
   * Round trips on another connection until the test tool's `large` count stops changing: the
   * server has stopped running the non-reader's commands.
   */
  async function untilLargeStops(other: LineClient): Promise<number> {
    let previous = -1;
    let same = 0;
    while (same < 3) {
      expect(await other.command('echo other')).to.equal('OK other');
      const count = test.control.count('large');
      same = count === previous ? same + 1 : 0;
      previous = count;
    }
    return previous;
  }

  afterEach(async () => {
    clients.closeAll();
    await test.server.stop();
  });

  it('stops running the commands of a client that does not read, and resumes when it reads', async () => {
    test = await startServer({ outputHighWater: 16 * 1024 });
    const slow = await nonReader(COMMANDS, REPLY);
    const other = await client();
    const ran = await untilLargeStops(other);
    expect(ran).to.be.greaterThan(0).and.lessThan(COMMANDS);
    slow.socket.resume();
    const replies = await slow.nextLines(COMMANDS);
    expect(replies.every((line) => line === `OK ${'x'.repeat(REPLY)}`)).to.equal(true);
    expect(test.control.count('large')).to.equal(COMMANDS);
    expect(await slow.command('echo caught up')).to.equal('OK caught up');
  });

  it('stops reading past maxQueuedCommands and loses none of the commands it had not read', async () => {
    test = await startServer({ maxQueuedCommands: 4 });
    const c = await client();
    c.send(`test.wait first\n${Array.from({ length: 500 }, (_, i) => `test.fast ${i}\n`).join('')}`);
    await test.control.started('first');
    test.control.release('first');
    expect(await c.nextLines(501)).to.deep.equal(['OK first', ...Array.from({ length: 500 }, (_, i) => `OK ${i}`)]);
  });

  /** Round trips on another connection until the server's queued input stops growing; returns it. */
  async function untilQueuedInputSettles(other: LineClient): Promise<number> {
    let previous = -1;
    let same = 0;
    while (same < 5) {
      expect(await other.command('echo other')).to.equal('OK other');
      const queued = test.server.queuedInputBytes;
      same = queued === previous ? same + 1 : 0;
      previous = queued;
    }
    return previous;
  }

  const LINE = 16 * 1024;
  /** `test.wait NAME`, then 300 echo lines of 16 KiB (4.8 MB), all sent at once. */
  async function flooder(name: string): Promise<LineClient> {
    const c = await client();
    c.send(`test.wait ${name}\n${`echo ${'y'.repeat(LINE)}\n`.repeat(300)}`);
    await test.control.started(name);
    return c;
  }

  it('stops reading a connection past maxQueuedBytes of queued commands, and loses none of them', async () => {
    test = await startServer({ maxQueuedBytes: 64 * 1024 });
    const flood = await flooder('first');
    const queued = await untilQueuedInputSettles(await client());
    // The limit, plus at most the chunk read when it was reached.
    expect(queued).to.be.above(0).and.below(64 * 1024 + 65 * 1024);
    test.control.release('first');
    const replies = await flood.nextLines(301);
    expect(replies[0]).to.equal('OK first');
    expect(replies.slice(1).every((line) => line === `OK ${'y'.repeat(LINE)}`)).to.equal(true);
    expect(test.server.queuedInputBytes).to.equal(0);
  });

  it('stops reading every connection past maxTotalQueuedBytes, resumes them all, and loses no command', async () => {
    test = await startServer({ maxQueuedBytes: 64 * 1024 * 1024, maxTotalQueuedBytes: 256 * 1024 });
    const floods = [await flooder('a'), await flooder('b'), await flooder('c')];
    const queued = await untilQueuedInputSettles(await client());
    // The limit, plus at most one chunk read by each flooder before it had commands waiting.
    expect(queued).to.be.above(0).and.below(256 * 1024 + 3 * 65 * 1024);
    for (const name of ['a', 'b', 'c']) test.control.release(name);
    for (const [i, flood] of floods.entries()) {
      const replies = await flood.nextLines(301);
      expect(replies[0]).to.equal(`OK ${['a', 'b', 'c'][i]}`);
      expect(replies.slice(1).every((line) => line === `OK ${'y'.repeat(LINE)}`)).to.equal(true);
    }
    expect(test.server.queuedInputBytes).to.equal(0);
  });

  it('drops a client whose unsent replies pass outputLimit, and runs none of its commands after', async () => {
    const capture = new LogCapture();
    try {
      test = await startServer({ outputHighWater: 16 * 1024, outputLimit: 512 * 1024 });
      const slow = await nonReader(64, 1024 * 1024);
      const other = await client();
      await capture.waitFor('client not reading its replies, dropping it');
      await capture.waitFor('client disconnected');
      const ran = await untilLargeStops(other);
      expect(ran).to.be.lessThan(64);
      expect(await other.command('echo unaffected')).to.equal('OK unaffected');
      slow.socket.resume();
      await slow.ended;
    } finally {
      capture.stop();
    }
  });

  it('drops a client stuck with unread replies once the idle timeout passes', async () => {
    const capture = new LogCapture();
    try {
      test = await startServer({ outputHighWater: 16 * 1024, idleTimeoutMs: 50 });
      const slow = await nonReader(COMMANDS, REPLY);
      await capture.waitFor('idle client dropped');
      await capture.waitFor('client disconnected');
      expect(test.control.count('large')).to.be.lessThan(COMMANDS);
      slow.socket.resume();
      await slow.ended;
    } finally {
      capture.stop();
    }
  });

  it('survives a client that resets the connection while the server waits for it to read', async () => {
    const capture = new LogCapture();
    const unhandled: unknown[] = [];
    const record = (reason: unknown): number => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      test = await startServer({ outputHighWater: 16 * 1024 });
      const slow = await nonReader(COMMANDS, REPLY);
      const other = await client();
      await untilLargeStops(other);
      slow.socket.resetAndDestroy();
      await capture.waitFor('client disconnected');
      expect(await other.command('echo alive')).to.equal('OK alive');
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', record);
      capture.stop();
    }
  });

  it('does not add listeners to the socket each time it waits for a slow client', async () => {
    const warnings: Error[] = [];
    const record = (warning: Error): number => warnings.push(warning);
    process.on('warning', record);
    try {
      test = await startServer({ outputHighWater: 1024 });
      // Each round below fills the socket buffers again (a few MB): enough commands for 12 rounds.
      const commands = 1000;
      const slow = await nonReader(commands, REPLY);
      const other = await client();
      await untilLargeStops(other);
      // Read until the server runs a command again (it stopped waiting), then stop reading so
      // that it waits again: one wait per round.
      for (let wait = 0; wait < 12 && test.control.count('large') < commands - 200; wait++) {
        const ran = test.control.nextCall('large');
        slow.socket.resume();
        await ran;
        slow.socket.pause();
        await untilLargeStops(other);
      }
      slow.socket.resume();
      expect(await slow.nextLines(commands)).to.have.length(commands);
      expect(await other.command('echo done')).to.equal('OK done');
      expect(warnings.map((warning) => warning.message)).to.deep.equal([]);
    } finally {
      process.off('warning', record);
    }
  });

  it('stop() does not wait forever for a client that never reads', async function () {
    this.timeout(10_000);
    test = await startServer({ outputHighWater: 16 * 1024 });
    const slow = await nonReader(COMMANDS, REPLY);
    await untilLargeStops(await client());
    await test.server.stop();
    // What did not fit in the socket buffers within the grace period is dropped with the client.
    slow.socket.resume();
    await slow.ended;
  });
});
