import { expect } from 'chai';
import { Arguments } from '../../lib/dispatch/arguments.js';
import type { Call } from '../../lib/dispatch/registry.js';
import type { Session } from '../../lib/dispatch/session.js';
import { InvalidArgumentError, PermissionError } from '../../lib/errors.js';
import { Builtins } from '../../lib/server/builtins.js';

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

describe('Builtins', () => {
  let stops: number;
  const builtins = (allowExit: boolean): Builtins => new Builtins({ allowExit, requestStop: () => stops++ });
  const call = (session: Session, ...positional: string[]): Call => ({ args: new Arguments(positional), session });

  beforeEach(() => (stops = 0));

  describe('exit', () => {
    it('is refused when the server was not started with allowExit', () => {
      expect(() => builtins(false).exit(call(new FakeSession()))).to.throw(PermissionError, '--allow-exit');
      expect(stops).to.equal(0);
    });

    it('is refused from a client that is not on loopback, even when allowed', () => {
      expect(() => builtins(true).exit(call(new FakeSession(false)))).to.throw(
        PermissionError,
        'exit allowed only from the local machine',
      );
      expect(stops).to.equal(0);
    });

    it('requests a stop when allowed and from loopback', () => {
      builtins(true).exit(call(new FakeSession()));
      expect(stops).to.equal(1);
    });

    it('takes no arguments', () => {
      expect(() => builtins(true).exit(call(new FakeSession(), 'now'))).to.throw(InvalidArgumentError);
      expect(stops).to.equal(0);
    });
  });

  it('register numbers the names it hands out', () => {
    const server = builtins(false);
    const [a, b] = [new FakeSession(), new FakeSession()];
    server.register(call(a, 'console'));
    server.register(call(b, 'console'));
    expect([a.name, b.name]).to.deep.equal(['console_1', 'console_2']);
  });

  it('closeconnection asks the session to close after the reply', () => {
    const session = new FakeSession();
    builtins(false).closeconnection(call(session));
    expect(session.closeRequests).to.equal(1);
  });

  it('echo replies OK and its text, whatever the text starts with', () => {
    expect(builtins(false).echo(call(new FakeSession(), 'a b', 'c'))).to.equal('OK a b c');
    expect(builtins(false).echo(call(new FakeSession()))).to.equal('OK');
    expect(builtins(false).echo(call(new FakeSession(), 'ERROR', 'disk', 'on', 'fire'))).to.equal('OK ERROR disk on fire');
    expect(builtins(false).echo(call(new FakeSession(), 'WARNING'))).to.equal('OK WARNING');
  });
});
