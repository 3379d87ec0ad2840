import { expect } from 'chai';
import { Arguments } from '../../lib/dispatch/arguments.js';
import { ToolRegistry, type Call, type Handler } from '../../lib/dispatch/registry.js';
import type { Session } from '../../lib/dispatch/session.js';

const session: Session = { id: 1, name: 'client_1', address: '127.0.0.1', isLoopback: true, closeAfterReply: () => undefined };
const call = (...positional: string[]): Call => ({ args: new Arguments(positional), session });

class Base {
  inherited(): string {
    return 'from base';
  }
  overridden(): string {
    return 'base';
  }
  shadowedByGetter(): string {
    return 'base method';
  }
}

class Camera extends Base {
  exposureTime = 1;
  name = 'camera';
  arrow = (): string => `arrow ${this.name}`;
  #secret = 'hidden';

  expose({ args }: Call): string {
    return `${this.name} ${args.string(0, 'time')}`;
  }
  override overridden(): string {
    return 'camera';
  }
  get status(): string {
    return this.#secret;
  }
  set status(_value: string) {}
  _private(): string {
    return 'private';
  }
  __dunder(): string {
    return 'dunder';
  }
  #helper(): string {
    return 'helper';
  }
  useHelper(): string {
    return this.#helper();
  }
}

// A getter hiding a base method of the same name (TypeScript refuses to declare this in the class).
Object.defineProperty(Camera.prototype, 'shadowedByGetter', { get: () => 'getter' });

describe('ToolRegistry', () => {
  const registry = new ToolRegistry().register('camera', new Camera());
  const handler = (method: string): Handler | undefined => registry.lookup('camera', method);

  it('makes the public methods of a tool its commands, bound to the tool', () => {
    expect(handler('expose')?.(call('2'))).to.equal('camera 2');
    expect(handler('useHelper')?.(call())).to.equal('helper');
  });

  it('makes inherited methods callable, the most derived one winning', () => {
    expect(handler('inherited')?.(call())).to.equal('from base');
    expect(handler('overridden')?.(call())).to.equal('camera');
  });

  it('makes function-valued fields callable like methods', () => {
    expect(handler('arrow')?.(call())).to.equal('arrow camera');
  });

  it('never makes private names callable', () => {
    expect(handler('_private')).to.equal(undefined);
    expect(handler('__dunder')).to.equal(undefined);
    expect(handler('#helper')).to.equal(undefined);
    expect(handler('helper')).to.equal(undefined);
  });

  it('never makes constructor, Object.prototype members or __proto__ callable', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'isPrototypeOf']) {
      expect(handler(name), name).to.equal(undefined);
    }
  });

  it('never calls accessors or data fields', () => {
    expect(handler('status')).to.equal(undefined);
    expect(handler('exposureTime')).to.equal(undefined);
    expect(handler('name')).to.equal(undefined);
  });

  it('does not reach a base method hidden behind a getter of the same name', () => {
    expect(handler('shadowedByGetter')).to.equal(undefined);
  });

  it('knows its tools', () => {
    const two = new ToolRegistry().register('b', {}).register('a', { go: () => 'went' });
    expect(two.toolNames()).to.deep.equal(['a', 'b']);
    expect(two.has('a')).to.equal(true);
    expect(two.has('c')).to.equal(false);
    expect(two.lookup('a', 'go')?.(call())).to.equal('went');
    expect(two.lookup('c', 'go')).to.equal(undefined);
  });

  it('accepts a tool with a null prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { ping: () => 'pong' });
    expect(new ToolRegistry().register('bare', bare).lookup('bare', 'ping')?.(call())).to.equal('pong');
  });

  it('does not see methods added to a tool after registration', () => {
    const tool: Record<string, unknown> = { a: () => 1 };
    const late = new ToolRegistry().register('t', tool);
    tool['b'] = () => 2;
    expect(late.lookup('t', 'b')).to.equal(undefined);
  });
});
