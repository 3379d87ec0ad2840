import { ParseError } from '../errors.js';
import { tokenizeCommand, type Token } from './tokenize.js';

/** A parsed command line: `tool.method arg ... key=value ...`. */
export interface Command {
  /** undefined for a bare `method` (a built-in, or the default tool `api`). */
  readonly tool: string | undefined;
  readonly method: string;
  readonly args: readonly string[];
  readonly kwargs: Readonly<Record<string, string>>;
  /** The line as received (the built-ins `echo` and `register` read it as azcam's do); none from the web API. */
  readonly line?: string;
}

const KEYWORD = /^([A-Za-z_][A-Za-z0-9_]*)=/;
/** A tool's name: dot-separated parts, none empty, no white space. */
const TOOL = /^[^.\s]+(?:\.[^.\s]+)*$/;

/** Parses one line; undefined when it holds no command (blank or comment only). */
export function parseCommand(line: string): Command | undefined {
  const tokens = tokenizeCommand(line);
  const head = tokens.shift();
  if (!head) return undefined;
  const { tool, method } = splitName(head.value);
  const args: string[] = [];
  const kwargs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const token of tokens) {
    const keyword = keywordOf(token);
    if (keyword === undefined) args.push(token.value);
    else kwargs[keyword] = token.value.slice(keyword.length + 1);
  }
  return { tool, method, args, kwargs, line };
}

/** `cam2.exposure.expose` is tool `cam2.exposure`, method `expose`. */
function splitName(name: string): { tool: string | undefined; method: string } {
  const dot = name.lastIndexOf('.');
  const tool = dot === -1 ? undefined : name.slice(0, dot);
  const method = name.slice(dot + 1);
  if (!method || (tool !== undefined && !TOOL.test(tool))) {
    throw new ParseError(`invalid command name: ${name}`);
  }
  return { tool, method };
}

function keywordOf(token: Token): string | undefined {
  const match = KEYWORD.exec(token.value);
  return match && match[0].length <= token.firstQuote ? match[1] : undefined;
}
