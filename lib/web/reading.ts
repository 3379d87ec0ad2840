import type { ToolRegistry } from '../dispatch/registry.js';

/**
 * Whether a GET may run `tool.command`: only a command its table marks as reading, so that a
 * crawler, a prefetching browser or a hostile page's image tag can never start, abort or change
 * anything. A name no table has may run: all it gets is its ERROR.
 */
export function mayRunOnGet(tools: ToolRegistry, tool: string, command: string): boolean {
  return tools.lookup(tool, command)?.reads !== false;
}
