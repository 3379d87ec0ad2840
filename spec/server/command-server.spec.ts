import { expect } from 'chai';
import { once } from 'node:events';
import { connect } from 'node:net';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import { CommandServer } from '../../lib/server/command-server.js';
import { LineClient, LineClients } from '../support/line-client.js';
import { LogCapture } from '../support/log-capture.js';
import { Deferred, startServer, type TestServer } from '../support/test-tools.js';

/** Resolves with the error a connection attempt fails with (the server is not listening). */
async function connectError(port: number): Promise<NodeJS.ErrnoException> {
  const socket = connect({ port, host: '127.0.0.1' });
  const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
  return error;
}

/** Lets pending I/O callbacks and timers of this turn run (no timing involved). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CommandServer', () => {
  let test: TestServer;
  const clients = new LineClients();
  const client = (): Promise<LineClient> => clients.connect(test.port);

  beforeEach(async () => {
    test = await startServer();
  });

  afterEach(async () => {
    clients.closeAll();
    await test.server.stop();
  });

  it('listens on a free port when asked for port 0', () => {
    expect(test.port).to.be.greaterThan(0);
    expect(test.server.port).to.equal(test.port);
  });

  it('answers echo hello with OK hello, terminated by \\r\\n', async () => {
    const raw = await client();
    const received = once(raw.socket, 'data');
    raw.send('echo hello\n');
    expect(String((await received)[0])).to.equal('OK hello\r\n');
  });

  it('never lets echo forge a status: every echo reply starts with OK', async () => {
    const c = await client();
    c.send('echo ERROR disk on fire\necho WARNING low\necho OK\n');
    expect(await c.nextLines(3)).to.deep.equal(['OK ERROR disk on fire', 'OK WARNING low', 'OK OK']);
  });

  it('sends the welcome line first, terminated by \\r\\n', async () => {
    await test.server.stop();
    test = await startServer({ welcome: 'azcam camera server ready' });
    const raw = await client();
    const [data] = (await once(raw.socket, 'data')) as [string];
    expect(data).to.equal('azcam camera server ready\r\n');
    expect(await raw.nextLine()).to.equal('azcam camera server ready');
    expect(await raw.command('echo after')).to.equal('OK after');
  });

  it('answers the built-ins: register, updatemonitor, echo in any case', async () => {
    const c = await client();
    c.send('register console\nupdatemonitor\nECHO Loud\nech x\n');
    expect(await c.nextLines(4)).to.deep.equal(['OK', 'OK', 'OK Loud', 'ERROR unknown command: ech']);
  });

  it('answers tool commands and their errors', async () => {
    const c = await client();
    c.send('test.add 1 2.5\ntest.add 1 x\ntest.fail boom\ntest.failLater\ntest.nothing\nexposure.expose 1\ntest._x\n');
    expect(await c.nextLines(7)).to.deep.equal([
      'OK 3.5',
      'ERROR invalid b: x',
      'ERROR boom',
      'ERROR failed later',
      'ERROR unknown command: test.nothing',
      'ERROR remote call not allowed: exposure',
      'ERROR unknown command: test._x',
    ]);
  });

  it('serves many clients at once, each pipelining its commands', async () => {
    const many = await Promise.all(Array.from({ length: 50 }, () => client()));
    const replies = await Promise.all(
      many.map((c, n) => {
        c.send(Array.from({ length: 20 }, (_, i) => `echo ${n}-${i}\n`).join(''));
        return c.nextLines(20);
      }),
    );
    replies.forEach((lines, n) => expect(lines).to.deep.equal(Array.from({ length: 20 }, (_, i) => `OK ${n}-${i}`)));
  });

  it('replies to pipelined commands in order, one reply each, whatever their handlers take', async () => {
    const c = await client();
    c.send('test.delay 30\ntest.delay 0\ntest.fast one\ntest.delay 10\ntest.fail two\necho three\ntest.delay 1\n');
    expect(await c.nextLines(7)).to.deep.equal(['OK 30', 'OK 0', 'OK one', 'OK 10', 'ERROR two', 'OK three', 'OK 1']);
    expect(await c.command('echo last')).to.equal('OK last');
  });

  it("runs a connection's commands one at a time", async () => {
    const c = await client();
    c.send('test.wait first\ntest.fast\n');
    await test.control.started('first');
    expect(await (await client()).command('echo other')).to.equal('OK other');
    expect(test.control.count('fast')).to.equal(0);
    test.control.release('first');
    expect(await c.nextLines(2)).to.deep.equal(['OK first', 'OK fast']);
  });

  it('lets another connection proceed while one waits for a slow command', async () => {
    const a = await client();
    const b = await client();
    let aReplied = false;
    a.send('test.wait slow\n');
    const aReply = a.nextLine().then((line) => ((aReplied = true), line));
    await test.control.started('slow');
    expect(await b.command('echo meanwhile')).to.equal('OK meanwhile');
    expect(await b.command('test.fast b')).to.equal('OK b');
    expect(aReplied).to.equal(false);
    test.control.release('slow', 'done');
    expect(await aReply).to.equal('OK done');
  });

  it('answers an empty line with OK and closes the connection', async () => {
    const c = await client();
    c.send('echo a\n\necho never\n');
    expect(await c.nextLines(3)).to.deep.equal(['OK a', 'OK', undefined]);
    await c.ended;
  });

  it('treats a line of only spaces or \\r as empty', async () => {
    const c = await client();
    c.send('  \r\n');
    expect(await c.nextLines(2)).to.deep.equal(['OK', undefined]);
  });

  it('closes the connection after closeconnection', async () => {
    const c = await client();
    c.send('closeconnection\necho never\n');
    expect(await c.nextLines(2)).to.deep.equal(['OK', undefined]);
    const other = await client();
    expect(await other.command('echo still here')).to.equal('OK still here');
  });

  describe('exit', () => {
    it('is refused unless the server was started with allowExit', async () => {
      const c = await client();
      expect(await c.command('exit')).to.equal('ERROR exit not allowed: server not started with --allow-exit');
      expect(await c.command('echo running')).to.equal('OK running');
    });

    it('stops the server when allowed, from loopback', async () => {
      await test.server.stop();
      test = await startServer({ allowExit: true });
      const c = await client();
      c.send('EXIT\n');
      expect(await c.nextLines(2)).to.deep.equal(['OK', undefined]);
      await test.server.stop();
      expect((await connectError(test.port)).code).to.equal('ECONNREFUSED');
    });

    it('calls onExit instead when one is given', async () => {
      await test.server.stop();
      const exited = new Deferred();
      test = await startServer({ allowExit: true, onExit: () => exited.resolve() });
      const c = await client();
      expect(await c.command('exit')).to.equal('OK');
      await exited.promise;
      expect(await c.command('echo still serving')).to.equal('OK still serving');
    });
  });

  it('stays healthy when a client disconnects in the middle of a slow command', async () => {
    const capture = new LogCapture();
    try {
      const a = await client();
      a.send('test.wait gone\n');
      await test.control.started('gone');
      a.close();
      await capture.waitFor('client finished sending');
      test.control.release('gone');
      const lost = await capture.waitFor('reply after client closed its side');
      expect(lost).to.include({ command: 'test.wait gone', reply: 'OK gone' });
      await Promise.all(test.control.settled);
      expect(await (await client()).command('echo healthy')).to.equal('OK healthy');
    } finally {
      capture.stop();
    }
  });

  it('answers every command of a client that half-closes after sending them (nc -N), then closes', async () => {
    const c = await client();
    c.send('test.wait halfclose\necho after\n');
    await test.control.started('halfclose');
    c.socket.end();
    test.control.release('halfclose');
    expect(await c.nextLines(3)).to.deep.equal(['OK halfclose', 'OK after', undefined]);
    await c.ended;
  });

  describe('stop()', () => {
    it('lets the running command reply, refuses the queued ones, then closes', async () => {
      const c = await client();
      const idle = await client();
      c.send('test.wait inflight\necho queued 1\necho queued 2\n');
      await test.control.started('inflight');
      let stopped = false;
      const stopping = test.server.stop().then(() => (stopped = true));
      await idle.ended;
      await turn();
      expect(stopped).to.equal(false);
      test.control.release('inflight');
      expect(await c.nextLines(4)).to.deep.equal([
        'OK inflight',
        'ERROR server shutting down',
        'ERROR server shutting down',
        undefined,
      ]);
      await stopping;
      expect((await connectError(test.port)).code).to.equal('ECONNREFUSED');
    });

    it('returns the same promise when called twice', async () => {
      const first = test.server.stop();
      expect(test.server.stop()).to.equal(first);
      await first;
    });

    it('lets a new server listen on the same port at once', async () => {
      const c = await client();
      expect(await c.command('echo first life')).to.equal('OK first life');
      const { port } = test;
      await test.server.stop();
      await c.ended;
      test = await startServer({ port });
      expect(test.port).to.equal(port);
      expect(await (await client()).command('echo second life')).to.equal('OK second life');
    });
  });

  describe('line length limit', () => {
    beforeEach(async () => {
      await test.server.stop();
      test = await startServer({ maxLine: 100 });
    });

    it('answers a line of exactly the limit', async () => {
      const c = await client();
      const text = 'x'.repeat(100 - 'echo '.length);
      expect(await c.command(`echo ${text}`)).to.equal(`OK ${text}`);
    });

    it('answers a longer line with ERROR line too long and closes, after replying to the lines before it', async () => {
      const other = await client();
      const c = await client();
      c.send(`echo before\necho ${'x'.repeat(200)}\necho after\n`);
      expect(await c.nextLines(3)).to.deep.equal(['OK before', 'ERROR line too long', undefined]);
      expect(await other.command('echo unaffected')).to.equal('OK unaffected');
    });

    it('does not wait for the newline of an over-long line', async () => {
      const c = await client();
      c.send('echo '.padEnd(150, 'x'));
      expect(await c.nextLines(2)).to.deep.equal(['ERROR line too long', undefined]);
    });
  });

  describe('access list', () => {
    it('refuses a client outside the allowed ranges with ERROR access denied, then closes', async () => {
      await test.server.stop();
      test = await startServer({ allow: ['10.0.0.0/8'] });
      const c = await client();
      expect(await c.nextLines(2)).to.deep.equal(['ERROR access denied', undefined]);
      expect(test.server.clientCount).to.equal(0);
    });

    it('does not let a refused client that never closes hold up stop()', async function () {
      this.timeout(10_000);
      await test.server.stop();
      test = await startServer({ allow: ['10.0.0.0/8'] });
      const stubborn = connect({ port: test.port, host: '127.0.0.1', allowHalfOpen: true });
      stubborn.on('error', () => undefined);
      stubborn.resume();
      await once(stubborn, 'end');
      await test.server.stop();
      stubborn.destroy();
    });

    it('serves a client inside them', async () => {
      await test.server.stop();
      test = await startServer({ allow: ['10.0.0.0/8', '127.0.0.0/8'] });
      expect(await (await client()).command('echo allowed')).to.equal('OK allowed');
    });
  });

  describe('maxConnections', () => {
    it('refuses the connection past the limit with ERROR too many connections and closes it; serves again once one leaves', async () => {
      await test.server.stop();
      test = await startServer({ maxConnections: 2 });
      const [a, b] = [await client(), await client()];
      expect(await a.command('echo a')).to.equal('OK a');
      expect(await b.command('echo b')).to.equal('OK b');
      const refused = await client();
      expect(await refused.nextLine()).to.equal('ERROR too many connections');
      await refused.ended;
      expect(await a.command('echo still served')).to.equal('OK still served');
      b.socket.end();
      await b.ended;
      while (test.server.clientCount > 1) expect(await a.command('echo wait')).to.equal('OK wait');
      expect(await (await client()).command('echo c')).to.equal('OK c');
    });
  });

  describe('idle timeout', () => {
    beforeEach(async () => {
      await test.server.stop();
      test = await startServer({ idleTimeoutMs: 50 });
    });

    it('drops a client that says nothing', async () => {
      const silent = await client();
      await silent.ended;
      expect(await silent.nextLine()).to.equal(undefined);
    });

    it('does not drop a client while its command runs, and does once it is idle again', async () => {
      const busy = await client();
      busy.send('test.wait long\n');
      await test.control.started('long');
      // A client that connects after busy's last activity and is dropped for idling: by then
      // busy has been idle for longer than the timeout too.
      const silent = await client();
      await silent.ended;
      test.control.release('long');
      expect(await busy.nextLine()).to.equal('OK long');
      await busy.ended;
    });

    it('drops a client that trickles bytes but never completes a command (slowloris)', async () => {
      const slow = await client();
      let sent = 0;
      const trickle = setInterval(() => {
        slow.send('x');
        sent++;
      }, 10);
      try {
        await slow.ended;
      } finally {
        clearInterval(trickle);
      }
      // 50 ms without a complete command; each byte on its own would have kept it forever.
      expect(sent).to.be.below(100);
    });
  });

  it('uses one shared tool registry for two servers without mixing them up', async () => {
    const tools = new ToolRegistry();
    const one = new CommandServer(tools, { port: 0 });
    const two = new CommandServer(tools, { port: 0, allowExit: true, onExit: () => undefined });
    try {
      const [portOne, portTwo] = await Promise.all([one.start(), two.start()]);
      const a = await clients.connect(portOne);
      const b = await clients.connect(portTwo);
      expect(await a.command('exit')).to.equal('ERROR exit not allowed: server not started with --allow-exit');
      expect(await b.command('exit')).to.equal('OK');
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});
