import { expect } from 'chai';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AzcamClient, parseReply } from '../lib/client.js';
import { query, type ToolSpec } from '../lib/dispatch/command.js';
import { ToolRegistry } from '../lib/dispatch/registry.js';
import { ConnectionClosedError, InvalidArgumentError, RemoteError, TimeoutError } from '../lib/errors.js';
import { CommandServer, type CommandServerOptions } from '../lib/server/command-server.js';

/** A gate a test opens to let a waiting command finish. */
class Gate {
  readonly opened: Promise<void>;
  open!: () => void;
  constructor() {
    this.opened = new Promise((resolve) => (this.open = resolve));
  }
}

/** A small tool whose commands give each reply shape. */
function testTool(gate: Gate): ToolSpec {
  return {
    description: 'Reply shapes',
    commands: [
      query('text', '', [], () => 'hello'),
      query('list', '', [], () => ['a b', 'c', "it's"]),
      query('nothing', '', [], () => undefined),
      query('fail', '', [], () => {
        throw new InvalidArgumentError('invalid exposure time: abc');
      }),
      query('warn', '', [], () => 'WARNING shutter is slow'),
      query('apostrophe', '', [], () => "don't"),
      query('whoami', '', [], (_, { session }) => session.name),
      query('slow', '', [], async () => {
        await gate.opened;
        return 'finally';
      }),
    ],
  };
}

const FULL_BACKLOG = fileURLToPath(new URL('../../spec/fixtures/full_backlog.py', import.meta.url));

const STATUS = { exposurestate: 'READOUT', progressbar: 40, timeleft: 0.0, filename: '/data/a b.fits', message: '' };

async function startServer(gate: Gate, options: CommandServerOptions = {}): Promise<CommandServer> {
  const statusOnly = { description: 'Status only', commands: [query('get_status', '', [], () => STATUS)] };
  const tools = new ToolRegistry().register('test', testTool(gate)).register('exposure', statusOnly).register('api', statusOnly);
  const server = new CommandServer(tools, { port: 0, ...options });
  await server.start();
  return server;
}

describe('parseReply', () => {
  it('is undefined for OK alone', () => {
    expect(parseReply('OK')).to.equal(undefined);
  });

  it('is a string for one word, an array for several (shlex rules)', () => {
    expect(parseReply('OK hello')).to.equal('hello');
    expect(parseReply("OK 'a b'")).to.equal('a b');
    expect(parseReply("OK 'a b' c")).to.deep.equal(['a b', 'c']);
    expect(parseReply('OK -110.123 -170.456 25.0')).to.deep.equal(['-110.123', '-170.456', '25.0']);
  });

  it('returns text that shlex cannot split as it is', () => {
    expect(parseReply("OK don't")).to.equal("don't");
  });

  it('parses a reply that is a JSON object, whatever the command', () => {
    expect(parseReply(`OK ${JSON.stringify(STATUS)}`)).to.deep.equal(STATUS);
    expect(parseReply('OK {"a": [1, "b c"]}')).to.deep.equal({ a: [1, 'b c'] });
  });

  it('splits text that only looks like JSON as words', () => {
    expect(parseReply('OK {nope')).to.equal('{nope');
    expect(parseReply('OK {a: 1}')).to.deep.equal(['{a:', '1}']);
    expect(parseReply('OK [1, 2]')).to.deep.equal(['[1,', '2]']);
  });

  it('throws RemoteError with the message for ERROR, keeping the whole line', () => {
    expect(() => parseReply('ERROR unknown command: x'))
      .to.throw(RemoteError, 'unknown command: x')
      .with.property('reply', 'ERROR unknown command: x');
  });

  it('throws RemoteError for WARNING too (azcam raises on anything but OK)', () => {
    expect(() => parseReply('WARNING slow')).to.throw(RemoteError, 'slow');
  });

  it('throws RemoteError for a line without a status', () => {
    expect(() => parseReply('hello')).to.throw(RemoteError, 'malformed reply: hello');
  });
});

describe('AzcamClient', () => {
  let gate: Gate;
  let server: CommandServer;
  let client: AzcamClient | undefined;

  beforeEach(async () => {
    gate = new Gate();
    server = await startServer(gate);
  });

  afterEach(async () => {
    gate.open();
    await client?.close();
    client = undefined;
    await server.stop();
  });

  const connect = async (options: Parameters<typeof AzcamClient.connect>[0] = {}): Promise<AzcamClient> =>
    (client = await AzcamClient.connect({ port: server.port, ...options }));

  describe('command', () => {
    it('resolves OK alone to undefined', async () => {
      expect(await (await connect()).command('test.nothing')).to.equal(undefined);
    });

    it('resolves one word to a string and several to an array', async () => {
      const azcam = await connect();
      expect(await azcam.command('test.text')).to.equal('hello');
      expect(await azcam.command('test.list')).to.deep.equal(['a b', 'c', "it's"]);
    });

    it('parses get_status as JSON, in its long and its api short form', async () => {
      const azcam = await connect();
      expect(await azcam.command('exposure.get_status')).to.deep.equal(STATUS);
      expect(await azcam.command('get_status')).to.deep.equal(STATUS);
    });

    it('throws RemoteError with the server message on ERROR', async () => {
      const azcam = await connect();
      const error = await azcam.command('test.fail').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RemoteError).with.property('message', 'invalid exposure time: abc');
      expect(error).to.have.property('reply', 'ERROR invalid exposure time: abc');
      const unknown = await azcam.command('nosuch.tool').catch((e: unknown) => e);
      expect(unknown).to.be.instanceOf(RemoteError).with.property('message', 'remote call not allowed: nosuch');
    });

    it('throws on WARNING', async () => {
      const error = await (await connect()).command('test.warn').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RemoteError).with.property('message', 'shutter is slow');
    });

    it('refuses a command holding a newline (it would be two commands)', async () => {
      const error = await (await connect()).command('echo a\necho b').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RangeError);
    });
  });

  describe('raw', () => {
    it('resolves with the reply line itself, whatever its status', async () => {
      const azcam = await connect();
      expect(await azcam.raw('test.list')).to.equal(`OK 'a b' c "it's"`);
      expect(await azcam.raw('test.fail')).to.equal('ERROR invalid exposure time: abc');
      // `OK don't` would make azcam's console raise: double-quoted, the one case a string is.
      expect(await azcam.raw('test.apostrophe')).to.equal(`OK "don't"`);
    });
  });

  describe('pipelining', () => {
    it('matches many commands in flight to their replies, in order', async () => {
      const azcam = await connect();
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => azcam.command(`echo ${i}`)));
      expect(replies).to.deep.equal(Array.from({ length: 200 }, (_, i) => String(i)));
    });

    it('keeps the order when the first command is slow', async () => {
      const azcam = await connect();
      const slow = azcam.command('test.slow');
      const fast = azcam.command('echo fast');
      gate.open();
      expect(await Promise.all([slow, fast])).to.deep.equal(['finally', 'fast']);
    });
  });

  describe('timeouts', () => {
    it('rejects a command whose reply is late with TimeoutError', async () => {
      const azcam = await connect();
      const error = await azcam.command('test.slow', 20).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TimeoutError).with.property('message', 'no reply to "test.slow" within 20 ms');
    });

    it('drops the late reply, so later commands still get their own', async () => {
      const azcam = await connect({ timeoutMs: 20 });
      const late = azcam.command('test.slow').catch((e: unknown) => e);
      expect(await late).to.be.instanceOf(TimeoutError);
      const next = azcam.command('echo next', 5000);
      gate.open();
      expect(await next).to.equal('next');
    });

    it('times out connecting to a listener that never answers', async () => {
      const listener = spawn('python3', [FULL_BACKLOG], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        const [portLine] = (await once(createInterface({ input: listener.stdout }), 'line')) as [string];
        const error = await AzcamClient.connect({ host: '127.0.0.1', port: Number(portLine), timeoutMs: 50 }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TimeoutError).with.property('message', `cannot connect to 127.0.0.1:${portLine} within 50 ms`);
      } finally {
        listener.stdin.end();
      }
    });
  });

  describe('register', () => {
    it('names the connection on the server, quoting a name with a space', async () => {
      const azcam = await connect();
      await azcam.register('lab script');
      expect(await azcam.raw('test.whoami')).to.match(/^OK lab script_\d+$/);
    });
  });

  describe('welcome line', () => {
    beforeEach(async () => {
      await server.stop();
      server = await startServer(gate, { welcome: 'azcam camera server ready' });
    });

    it('is recognised without being asked for, and kept apart from the replies', async () => {
      const azcam = await connect();
      expect(await azcam.command('echo first')).to.equal('first');
      expect(azcam.welcome).to.equal('azcam camera server ready');
    });

    it('is read by connect() with welcome: true', async () => {
      const azcam = await connect({ welcome: true });
      expect(azcam.welcome).to.equal('azcam camera server ready');
      expect(await azcam.command('echo first')).to.equal('first');
    });
  });

  describe('closing', () => {
    it('close() waits for replies already on their way', async () => {
      const azcam = await connect();
      const slow = azcam.command('test.slow');
      const closed = azcam.close();
      gate.open();
      expect(await slow).to.equal('finally');
      await closed;
    });

    it('rejects commands after close()', async () => {
      const azcam = await connect();
      await azcam.close();
      const error = await azcam.command('echo late').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConnectionClosedError);
    });

    it('rejects commands in flight when the server closes the connection', async () => {
      const azcam = await connect();
      const [goodbye, after] = [azcam.command('closeconnection'), azcam.command('echo after').catch((e: unknown) => e)];
      expect(await goodbye).to.equal(undefined);
      expect(await after).to.be.instanceOf(ConnectionClosedError);
      await azcam.closed;
    });

    it('rejects connect() when nobody listens', async () => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1');
      await once(probe, 'listening');
      const { port } = probe.address() as { port: number };
      probe.close();
      await once(probe, 'close');
      const error = await AzcamClient.connect({ port }).catch((e: unknown) => e);
      expect(error).to.have.property('code', 'ECONNREFUSED');
    });
  });
});
