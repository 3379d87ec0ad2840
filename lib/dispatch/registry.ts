import { signature, type ArgSpec, type CommandSpec, type ToolSpec } from './command.js';

export type { Call } from './command.js';

/** One argument as the web API, its OpenAPI document and the REPL see it. */
export interface ArgumentDescription {
  name: string;
  type: ArgSpec['type'];
  required: boolean;
  /** Absent when required; null is Python's None. */
  default?: unknown;
}

export interface CommandDescription {
  name: string;
  description: string;
  reads: boolean;
  /** `set_roi [first_col=-1] ...`, as `help` shows it. */
  signature: string;
  args: ArgumentDescription[];
}

export interface ToolDescription {
  /** As a client writes it: `exposure`, `exposure.image`, `cam2.tempcon`. */
  tool: string;
  description: string;
  commands: CommandDescription[];
}

/**
 * Tools by name, each with its declared command table. A tool's sub-objects are registered under
 * dotted names (`exposure.image`, `exposure.sendimage`), so `exposure.image.write_file` resolves
 * to tool `exposure.image`, command `write_file`.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, { description: string; commands: Map<string, CommandSpec> }>();
  #version = 0;

  /** Changes with every registration: what was looked up before may resolve differently now. */
  get version(): number {
    return this.#version;
  }

  register(name: string, tool: ToolSpec): this {
    this.#version++;
    this.tools.set(name, { description: tool.description, commands: new Map(tool.commands.map((c) => [c.name, c])) });
    for (const [sub, subtool] of Object.entries(tool.subtools ?? {})) this.register(`${name}.${sub}`, subtool);
    return this;
  }

  has(tool: string): boolean {
    return this.tools.has(tool);
  }

  /** The tool's command `method`; undefined for an unknown tool or command. */
  lookup(tool: string, method: string): CommandSpec | undefined {
    return this.tools.get(tool)?.commands.get(method);
  }

  /** Command names of a tool, sorted. */
  methodsOf(tool: string): string[] {
    return [...(this.tools.get(tool)?.commands.keys() ?? [])].sort();
  }

  toolNames(): string[] {
    return [...this.tools.keys()].sort();
  }

  /** Every tool's commands with their signatures: for `help`, the web API and OpenAPI. */
  describe(): ToolDescription[] {
    return this.toolNames().map((tool) => this.describeTool(tool)!);
  }

  describeTool(tool: string): ToolDescription | undefined {
    const entry = this.tools.get(tool);
    if (!entry) return undefined;
    const commands = this.methodsOf(tool).map((name) => describeCommand(entry.commands.get(name)!));
    return { tool, description: entry.description, commands };
  }
}

function describeCommand(command: CommandSpec): CommandDescription {
  return {
    name: command.name,
    description: command.description,
    reads: command.reads,
    signature: signature(command),
    args: command.args.map((a) => (a.required ? { name: a.name, type: a.type, required: true } : { name: a.name, type: a.type, required: false, default: a.default })),
  };
}
