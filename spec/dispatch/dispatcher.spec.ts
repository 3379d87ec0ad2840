import { expect } from 'chai';
import { Dispatcher } from '../../lib/dispatch/dispatcher.js';
import { arg, command, query, type CommandSpec, type ToolSpec } from '../../lib/dispatch/command.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import type { Session } from '../../lib/dispatch/session.js';
import { InvalidArgumentError } from '../../lib/errors.js';
import { log } from '../../lib/log.js';
import { builtins } from '../../lib/server/builtins.js';
import { LogCapture } from '../support/log-capture.js';

class FakeSession implements Session {
  name = 'client_1';
  closeRequests = 0;
  constructor(
    readonly id = 1,
    readonly address = '127.0.0.1',
    readonly isLoopback = true,
  ) {}
  closeAfterReply(): void {
    this.closeRequests++;
  }
}

function exposureTool(): ToolSpec {
  let time = 1;
  return {
    description: 'A small exposure tool',
    commands: [
      query('get_exposuretime', '', [], () => time),
      command('set_exposuretime', '', [arg.float('exposure_time')], ({ exposure_time }) => {
        time = exposure_time;
      }),
      command('expose', '', [arg.str('time', null)], async ({ time: given }) => {
        await new Promise((resolve) => setImmediate(resolve));
        return `exposed ${given ?? time}`;
      }),
      query('echo', '', [], () => 'exposure echo'),
      query('kwargs', '', [arg.keywords('keywords')], ({ keywords }) => JSON.stringify(keywords)),
    ],
  };
}

const thrower = (name: string, run: () => unknown): CommandSpec => query(name, '', [], run);

const api: ToolSpec = {
  description: 'Short forms',
  commands: [
    query('get_temperatures', '', [], () => [-110.123, -170.456, 25.5]),
    query('Echo', '', [], () => 'api Echo'),
    thrower('thrownString', () => {
      throw 'a plain string';
    }),
    thrower('thrownObject', () => {
      throw { code: 42 };
    }),
    thrower('thrownNull', () => {
      throw null;
    }),
    thrower('rejects', () => Promise.reject(new InvalidArgumentError('invalid exposure time: abc'))),
    thrower('resolvesCircular', async () => {
      const status: Record<string, unknown> = { state: 'READOUT' };
      status['self'] = status;
      return status;
    }),
    thrower('multiline', () => {
      throw new Error('first\nsecond');
    }),
    thrower('bigint', () => ({ pixels: 10n })),
    thrower('circular', () => {
      const status: Record<string, unknown> = { state: 'READOUT' };
      status['self'] = status;
      return status;
    }),
    thrower('hostile', () => ({
      toJSON() {
        throw new Error('cannot serialise');
      },
    })),
  ],
};

describe('Dispatcher', () => {
  let exits: number;
  let dispatcher: Dispatcher;
  let session: FakeSession;
  const run = async (line: string, who: Session = session): Promise<string> => dispatcher.execute(line, who);

  beforeEach(() => {
    exits = 0;
    session = new FakeSession();
    const tools = new ToolRegistry().register('exposure', exposureTool()).register('api', api);
    dispatcher = new Dispatcher(tools, builtins({ allowExit: true, requestStop: () => exits++ }));
  });

  describe('answers', () => {
    it('answers a command that answers at once without a promise, errors included', () => {
      expect(dispatcher.execute('exposure.get_exposuretime', session)).to.equal('OK 1');
      expect(dispatcher.execute('exposure.set_exposuretime abc', session)).to.match(/^ERROR /);
      expect(dispatcher.execute('nosuch.tool', session)).to.equal('ERROR remote call not allowed: nosuch');
    });

    it('answers a command that waits with a promise of its reply', async () => {
      const answer = dispatcher.execute('exposure.expose 2', session);
      expect(answer).to.be.instanceOf(Promise);
      expect(await answer).to.equal('OK exposed 2');
      const rejected = dispatcher.execute('rejects', session);
      expect(rejected).to.be.instanceOf(Promise);
      expect(await rejected).to.equal('ERROR invalid exposure time: abc');
    });

    it('runs a line it has seen before with fresh arguments, however the last run changed its own', () => {
      // Changes what it was given.
      const tally = query('tally', '', [arg.words('words'), arg.keywords('keywords')], ({ words, keywords }) => {
        words.push('counted');
        keywords['seen'] = 'yes';
        return `${words.join(' ')} ${JSON.stringify(keywords)}`;
      });
      const own = new Dispatcher(new ToolRegistry().register('counter', { description: '', commands: [tally] }));
      const line = 'counter.tally a b toString=1 __proto__=2';
      expect(own.execute(line, session)).to.equal('OK a b counted {"toString":"1","__proto__":"2","seen":"yes"}');
      expect(own.execute(line, session)).to.equal('OK a b counted {"toString":"1","__proto__":"2","seen":"yes"}');
    });

    it('runs what the registry holds now for a line it has run before', () => {
      const registry = new ToolRegistry();
      const own = new Dispatcher(registry);
      expect(own.execute('late.hello', session)).to.equal('ERROR remote call not allowed: late');
      registry.register('late', { description: '', commands: [query('hello', '', [], () => 'first')] });
      expect(own.execute('late.hello', session)).to.equal('OK first');
      registry.register('late', { description: '', commands: [query('hello', '', [], () => 'second')] });
      expect(own.execute('late.hello', session)).to.equal('OK second');
    });

    it('logs each command with its reply at the debug level', async () => {
      const capture = new LogCapture();
      const level = log.level;
      log.level = 'debug';
      try {
        dispatcher.execute('exposure.get_exposuretime', session);
        expect(await capture.waitFor('command', { command: 'exposure.get_exposuretime', reply: 'OK 1' })).to.have.property('ms').that.is.a('number');
      } finally {
        log.level = level;
        capture.stop();
      }
    });

    it('replies ERROR when a command that waits resolves with a value no reply can carry', async () => {
      expect(await dispatcher.execute('resolvesCircular', session)).to.equal('ERROR cannot reply with a circular structure');
    });
  });

  describe('built-ins', () => {
    it('answers echo', async () => {
      expect(await run('echo hello world')).to.equal('OK hello world');
      expect(await run('echo')).to.equal('OK');
    });

    it('matches them case-insensitively', async () => {
      expect(await run('ECHO hi')).to.equal('OK hi');
      expect(await run('Echo hi')).to.equal('OK hi');
      expect(await run('UpdateMonitor')).to.equal('OK');
    });

    it('matches them only as whole words', async () => {
      expect(await run('ech hi')).to.equal('ERROR unknown command: ech');
      expect(await run('echoes hi')).to.equal('ERROR unknown command: echoes');
      expect(await run('exi')).to.equal('ERROR unknown command: exi');
      expect(exits).to.equal(0);
    });

    it('runs before the default tool, and not as a method of another tool', async () => {
      expect(await run('Echo hi')).to.equal('OK hi');
      expect(await run('exposure.echo')).to.equal('OK exposure echo');
      expect(await run('exposure.register x')).to.equal('ERROR unknown command: exposure.register');
    });

    it('are not reachable as a tool with an empty name', async () => {
      expect(await run('.echo hi')).to.equal('ERROR invalid command name: .echo');
    });

    it('register names the session', async () => {
      expect(await run('register console')).to.equal('OK');
      expect(session.name).to.equal('console_1');
      const other = new FakeSession(2);
      expect(await run('REGISTER console', other)).to.equal('OK');
      expect(other.name).to.equal('console_2');
      expect(await run('register')).to.equal('ERROR missing name');
      // azcam's takes the word after `register ` and ignores the rest.
      expect(await run('register a b', other)).to.equal('OK');
      expect(other.name).to.equal('a_3');
    });

    it('closeconnection asks the session to close after the reply', async () => {
      expect(await run('closeconnection')).to.equal('OK');
      expect(session.closeRequests).to.equal(1);
    });

    it("echo gives back the text after `echo ` as sent, spacing, quotes and keyword-looking words kept, as azcam's does", async () => {
      expect(await run('echo exposure_time=2 done')).to.equal('OK exposure_time=2 done');
      expect(await run("echo 'a b'")).to.equal("OK 'a b'");
      expect(await run('echo a   b')).to.equal('OK a   b');
      expect(await run('echo  a # not a comment')).to.equal('OK  a # not a comment');
      expect(await run('ECHO a')).to.equal('OK a');
    });
  });

  it('answers an empty or blank line with OK and closes the connection', async () => {
    expect(await run('')).to.equal('OK');
    expect(await run(' \t ')).to.equal('OK');
    expect(session.closeRequests).to.equal(2);
  });

  it('answers a comment-only line with OK and keeps the connection', async () => {
    expect(await run('# nothing to do')).to.equal('OK');
    expect(session.closeRequests).to.equal(0);
  });

  it('calls tool.method with its arguments, sync or async', async () => {
    expect(await run('exposure.set_exposuretime 2.5')).to.equal('OK');
    expect(await run('exposure.get_exposuretime')).to.equal('OK 2.5');
    expect(await run('exposure.expose')).to.equal('OK exposed 2.5');
    expect(await run('exposure.expose 3')).to.equal('OK exposed 3');
    expect(await run('exposure.kwargs a=1 c="x y"')).to.equal('OK {"a":"1","c":"x y"}');
  });

  it('sends a bare method that is not a built-in to the default tool api', async () => {
    expect(await run('get_temperatures')).to.equal('OK -110.123 -170.456 25.5');
    expect(await run('api.get_temperatures')).to.equal('OK -110.123 -170.456 25.5');
  });

  it('help lists the tools, a tool\'s commands and one command, from the command tables', async () => {
    expect(await run('help')).to.equal('OK api exposure');
    expect(await run('HELP')).to.equal('OK api exposure');
    expect(await run('help exposure')).to.equal("OK echo 'expose [time=None]' get_exposuretime 'kwargs [keywords=...]' 'set_exposuretime exposure_time'");
    expect(await run('api.help exposure')).to.equal(await run('help exposure'));
    // An empty description leaves only its space, which the reply's end strips (azcam's list rule).
    expect(await run('help exposure.set_exposuretime')).to.equal("OK 'set_exposuretime exposure_time'");
    expect(await run('help camera')).to.equal('ERROR no such tool or command: camera');
  });

  it('refuses an unknown tool', async () => {
    expect(await run('camera.expose 1')).to.equal('ERROR remote call not allowed: camera');
    expect(await run('Exposure.expose 1')).to.equal('ERROR remote call not allowed: Exposure');
    expect(await run('cam2.exposure.expose')).to.equal('ERROR remote call not allowed: cam2.exposure');
  });

  it('refuses an unknown method, private names and Object members', async () => {
    expect(await run('exposure.nothing')).to.equal('ERROR unknown command: exposure.nothing');
    expect(await run('exposure.Expose')).to.equal('ERROR unknown command: exposure.Expose');
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'time', 'commands', 'run']) {
      expect(await run(`exposure.${name}`)).to.equal(`ERROR unknown command: exposure.${name}`);
    }
    expect(await run('nothing')).to.equal('ERROR unknown command: nothing');
  });

  it('turns argument errors into ERROR replies', async () => {
    expect(await run('exposure.set_exposuretime abc')).to.equal('ERROR invalid exposure time: abc');
    expect(await run('exposure.set_exposuretime')).to.equal('ERROR missing exposure time');
    expect(await run('rejects')).to.equal('ERROR invalid exposure time: abc');
  });

  it('turns a parse error into an ERROR reply', async () => {
    expect(await run('exposure.expose "1')).to.equal('ERROR no closing quotation');
  });

  it('turns thrown values that are not Errors into ERROR replies', async () => {
    expect(await run('thrownString')).to.equal('ERROR a plain string');
    expect(await run('thrownObject')).to.match(/^ERROR \S/);
    expect(await run('thrownNull')).to.equal('ERROR null');
  });

  it('keeps a multi-line error message on one line', async () => {
    expect(await run('multiline')).to.equal('ERROR first second');
  });

  it('answers a result JSON cannot encode with ERROR, not a crash', async () => {
    expect(await run('bigint')).to.match(/^ERROR .*BigInt/);
    const circular = await run('circular');
    expect(circular).to.match(/^ERROR .*circular/);
    expect(circular).not.to.match(/[\r\n]/);
    expect(await run('hostile')).to.equal('ERROR cannot serialise');
  });

  it('shares one tool registry between dispatchers without mixing their built-ins', async () => {
    const tools = new ToolRegistry().register('exposure', exposureTool());
    let first = 0;
    let second = 0;
    const one = new Dispatcher(tools, builtins({ allowExit: true, requestStop: () => first++ }));
    const two = new Dispatcher(tools, builtins({ allowExit: true, requestStop: () => second++ }));
    expect(await one.execute('exit', session)).to.equal('OK');
    expect(await two.execute('exit', session)).to.equal('OK');
    expect([first, second]).to.deep.equal([1, 1]);
    expect(tools.toolNames()).to.deep.equal(['exposure']);
  });
});
