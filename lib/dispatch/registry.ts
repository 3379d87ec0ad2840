import type { Arguments } from './arguments.js';
import type { Session } from './session.js';

/** One command invocation as a handler receives it. */
export interface Call {
  args: Arguments;
  session: Session;
}

export type Handler = (call: Call) => unknown;

/**
 * Tools by name. A tool is an object whose public methods are its commands: every function on it
 * or on its prototype chain (below Object.prototype) whose name does not start with `_` (helpers
 * that are not commands are `#private`). Accessors are never called. The
 * methods are collected once at registration, so nothing else on the object (`constructor`,
 * `toString`, `__proto__`, fields) is ever callable.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, Map<string, Handler>>();

  register(name: string, tool: object): this {
    this.tools.set(name, collectMethods(tool));
    return this;
  }

  has(tool: string): boolean {
    return this.tools.has(tool);
  }

  /** The tool's handler for `method`; undefined for an unknown tool or method. */
  lookup(tool: string, method: string): Handler | undefined {
    return this.tools.get(tool)?.get(method);
  }

  toolNames(): string[] {
    return [...this.tools.keys()].sort();
  }
}

function collectMethods(tool: object): Map<string, Handler> {
  const methods = new Map<string, Handler>();
  // A name is decided by its most derived definition: a getter or field hides a base method.
  const seen = new Set<string>();
  for (let proto: object | null = tool; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const member: unknown = Object.getOwnPropertyDescriptor(proto, name)?.value;
      if (name === 'constructor' || name.startsWith('_') || typeof member !== 'function') continue;
      methods.set(name, (member as Handler).bind(tool));
    }
  }
  return methods;
}
