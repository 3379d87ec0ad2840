import { InvalidArgumentError } from '../errors.js';
import { arg, query, signature, type CommandSpec } from './command.js';
import type { ToolRegistry } from './registry.js';

/**
 * `help`: the tool names; `help exposure`: that tool's command signatures;
 * `help exposure.expose`: one command's signature and description. All from the command tables.
 */
export function helpCommand(registry: ToolRegistry): CommandSpec {
  return query('help', 'List the tools, a tool\'s commands, or one command\'s signature', [arg.str('topic', null)], ({ topic }) => {
    if (topic === null) return registry.toolNames();
    const tool = registry.describeTool(topic);
    if (tool) return tool.commands.map((c) => c.signature);
    const dot = topic.lastIndexOf('.');
    const command = dot > 0 ? registry.lookup(topic.slice(0, dot), topic.slice(dot + 1)) : undefined;
    if (!command) throw new InvalidArgumentError(`no such tool or command: ${topic}`);
    return [signature(command), command.description];
  });
}
