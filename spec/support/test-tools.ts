import { CommandServer, type CommandServerOptions } from '../../lib/server/command-server.js';
import { Deferred } from '../../lib/deferred.js';
import { arg, command, type ToolSpec } from '../../lib/dispatch/command.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';

export { Deferred };

/**
 * The test's side of the test tool: gates the test opens, and counts of handler invocations. It is a
 * separate object, not a command, so no client can call it.
 */
export class TestControl {
  readonly calls = new Map<string, number>();
  private readonly gates = new Map<string, { started: Deferred; release: Deferred<string> }>();
  private readonly callWaiters = new Map<string, Deferred[]>();
  /** Settles when a handler finished after its client had gone (it must not throw). */
  readonly settled: Promise<unknown>[] = [];

  /** Resolves once a `test.wait NAME` handler has started. */
  started(name: string): Promise<void> {
    return this.gate(name).started.promise;
  }

  /** Lets `test.wait NAME` reply `OK <reply>`. */
  release(name: string, reply = name): void {
    this.gate(name).release.resolve(reply);
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  /** Resolves at the next invocation of `method`. */
  nextCall(method: string): Promise<void> {
    const waiter = new Deferred();
    this.callWaiters.set(method, [...(this.callWaiters.get(method) ?? []), waiter]);
    return waiter.promise;
  }

  gate(name: string): { started: Deferred; release: Deferred<string> } {
    let gate = this.gates.get(name);
    if (!gate) this.gates.set(name, (gate = { started: new Deferred(), release: new Deferred<string>() }));
    return gate;
  }

  called(method: string): void {
    this.calls.set(method, this.count(method) + 1);
    for (const waiter of this.callWaiters.get(method) ?? []) waiter.resolve();
    this.callWaiters.delete(method);
  }
}

const LARGE = new Map<number, string>();

/** A tool with slow, fast and failing commands, registered as `test` by `startServer`. */
export function testTool(control = new TestControl()): ToolSpec {
  return {
    description: 'Commands for the server specs',
    commands: [
      /** Replies when the test calls `control.release(NAME)`. */
      command('wait', 'Reply when released', [arg.str('name')], ({ name }) => {
        control.called('wait');
        const gate = control.gate(name);
        gate.started.resolve();
        const reply = gate.release.promise;
        control.settled.push(reply);
        return reply;
      }),
      /** Replies after MS milliseconds (finishes out of order with the commands around it). */
      command('delay', 'Reply after ms', [arg.int('ms')], async ({ ms }) => {
        control.called('delay');
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ms;
      }),
      command('fast', 'Reply at once', [arg.words('text')], ({ text }) => {
        control.called('fast');
        return text.join(' ') || 'fast';
      }),
      command('add', 'a + b', [arg.float('a'), arg.float('b')], ({ a, b }) => a + b),
      command('fail', 'Throw', [arg.words('text')], ({ text }) => {
        throw new Error(text.join(' ') || 'failed');
      }),
      command('failLater', 'Reject', [arg.words('text')], async ({ text }) => {
        await Promise.resolve();
        throw new Error(text.join(' ') || 'failed later');
      }),
      /** A reply of SIZE bytes (`x` repeated). */
      command('large', 'Reply with size bytes', [arg.int('size')], ({ size }) => {
        control.called('large');
        let text = LARGE.get(size);
        if (!text) LARGE.set(size, (text = 'x'.repeat(size)));
        return text;
      }),
    ],
  };
}

export interface TestServer {
  server: CommandServer;
  port: number;
  control: TestControl;
}

/** A CommandServer on a free loopback port with a fresh TestTool as `test`. */
export async function startServer(options: CommandServerOptions = {}): Promise<TestServer> {
  const control = new TestControl();
  const server = new CommandServer(new ToolRegistry().register('test', testTool(control)), { port: 0, ...options });
  const port = await server.start();
  return { server, port, control };
}
