import { expect } from 'chai';
import { Dispatcher } from '../../lib/dispatch/dispatcher.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import type { Session } from '../../lib/dispatch/session.js';
import { builtins } from '../../lib/server/builtins.js';

class FakeSession implements Session {
  name = 'client_1';
  closeRequests = 0;
  constructor(
    readonly isLoopback = true,
    readonly address = isLoopback ? '127.0.0.1' : '192.168.1.20',
    readonly id = 1,
  ) {}
  closeAfterReply(): void {
    this.closeRequests++;
  }
}

describe('builtins', () => {
  let stops: number;
  const server = (allowExit: boolean): Dispatcher => new Dispatcher(new ToolRegistry(), builtins({ allowExit, requestStop: () => stops++ }));

  beforeEach(() => (stops = 0));

  describe('exit', () => {
    it('is refused when the server was not started with allowExit', async () => {
      expect(await server(false).execute('exit', new FakeSession())).to.match(/^ERROR exit not allowed: .*--allow-exit/);
      expect(stops).to.equal(0);
    });

    it('is refused from a client that is not on loopback, even when allowed', async () => {
      expect(await server(true).execute('exit', new FakeSession(false))).to.equal('ERROR exit allowed only from the local machine');
      expect(stops).to.equal(0);
    });

    it('requests a stop when allowed and from loopback', async () => {
      expect(await server(true).execute('exit', new FakeSession())).to.equal('OK');
      expect(stops).to.equal(1);
    });

    it('takes no arguments', async () => {
      expect(await server(true).execute('exit now', new FakeSession())).to.equal('ERROR too many arguments: expected at most 0, got 1');
      expect(stops).to.equal(0);
    });
  });

  it('register numbers the names it hands out', async () => {
    const dispatcher = server(false);
    const [a, b] = [new FakeSession(), new FakeSession()];
    await dispatcher.execute('register console', a);
    await dispatcher.execute('register console', b);
    expect([a.name, b.name]).to.deep.equal(['console_1', 'console_2']);
  });

  it('closeconnection asks the session to close after the reply', async () => {
    const session = new FakeSession();
    expect(await server(false).execute('closeconnection', session)).to.equal('OK');
    expect(session.closeRequests).to.equal(1);
  });

  it('echo replies OK and its text, whatever the text starts with', async () => {
    const echo = async (line: string): Promise<string> => server(false).execute(line, new FakeSession());
    expect(await echo('echo "a b" c')).to.equal('OK "a b" c');
    expect(await echo('echo')).to.equal('OK');
    expect(await echo('echo ERROR disk on fire')).to.equal('OK ERROR disk on fire');
    expect(await echo('echo WARNING')).to.equal('OK WARNING');
  });
});
