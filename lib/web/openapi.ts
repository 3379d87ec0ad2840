/**
 * The web API's OpenAPI 3.0 description, generated from the command tables (served at /docs):
 * a GET path for each reading command, with its arguments as query parameters, and POST /api
 * with one body schema per command.
 */
import type { ArgumentDescription, CommandDescription, ToolDescription } from '../dispatch/registry.js';

type Schema = Record<string, unknown>;

/** How each argument type is written in a query string or a JSON body. */
const SCHEMAS: Record<ArgumentDescription['type'], Schema> = {
  str: { type: 'string' },
  int: { type: 'integer' },
  float: { type: 'number' },
  flag: { type: 'integer', enum: [0, 1] },
  words: { type: 'array', items: { type: 'string' } },
  keywords: { type: 'object', additionalProperties: { type: 'string' } },
};

const ANSWER: Schema = {
  type: 'object',
  required: ['message', 'command', 'data', 'reply'],
  properties: {
    message: { type: 'string', description: '"Finished", or the ERROR line' },
    command: { type: 'string', description: 'tool.command' },
    data: { description: 'the reply as azcam\'s console reads it: null, a string, a list of strings, or an object' },
    reply: { type: 'string', description: 'the reply line exactly as the command socket sends it' },
  },
};

/** azcam's web API version. */
const API_VERSION = '1';

export function openApiDocument(tools: readonly ToolDescription[]): Schema {
  const paths: Record<string, Schema> = {};
  for (const tool of tools) {
    for (const command of tool.commands.filter((c) => c.reads)) paths[`/api/${tool.tool}/${command.name}`] = { get: getOperation(tool, command) };
  }
  paths['/api'] = { post: postOperation(tools) };
  return {
    openapi: '3.0.3',
    info: {
      title: 'azcam-server web API',
      version: API_VERSION,
      description:
        'azcam\'s web API on the command port + 1. Every call runs through the command socket\'s dispatcher and answers with the same reply line. ' +
        'GET runs only commands that read; anything that changes state is POST /api with a JSON body.',
    },
    paths,
    components: { schemas: { Answer: ANSWER } },
  };
}

function getOperation(tool: ToolDescription, command: CommandDescription): Schema {
  return {
    tags: [tool.tool],
    summary: command.signature,
    description: command.description,
    operationId: `get.${tool.tool}.${command.name}`,
    parameters: command.args
      .filter((a) => a.type !== 'words' && a.type !== 'keywords')
      .map((a) => ({ name: a.name, in: 'query', required: a.required, schema: withDefault(SCHEMAS[a.type], a) })),
    responses: answers(),
  };
}

function postOperation(tools: readonly ToolDescription[]): Schema {
  const bodies = tools.flatMap((tool) => tool.commands.map((command) => postBody(tool, command)));
  return {
    tags: ['POST'],
    summary: 'Run any command: {"tool": ..., "command": ..., "args": [...], "kwargs": {...}}',
    operationId: 'post.api',
    requestBody: { required: true, content: { 'application/json': { schema: { oneOf: bodies } } } },
    responses: answers(),
  };
}

function postBody(tool: ToolDescription, command: CommandDescription): Schema {
  const keywords = Object.fromEntries(command.args.map((a) => [a.name, withDefault(SCHEMAS[a.type], a)]));
  return {
    title: `${tool.tool}.${command.name}`,
    description: `${command.signature}: ${command.description}`,
    type: 'object',
    required: ['command'],
    properties: {
      tool: { type: 'string', enum: [tool.tool] },
      command: { type: 'string', enum: [command.name] },
      args: { type: 'array', description: 'positional, in this order: ' + command.args.map((a) => a.name).join(', ') },
      kwargs: { type: 'object', properties: keywords },
    },
  };
}

function answers(): Schema {
  const answer = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } } };
  return {
    200: { description: 'OK', ...answer },
    400: { description: 'ERROR: bad argument', ...answer },
    404: { description: 'ERROR: unknown tool or command', ...answer },
    405: { description: 'ERROR: a GET of a command that changes state', ...answer },
    409: { description: 'ERROR: exposure in progress, aborted, or the wrong state', ...answer },
    503: { description: 'ERROR: server busy or stopping', ...answer },
  };
}

/** A flag's default is written as the 0 or 1 a client sends. */
function withDefault(schema: Schema, a: ArgumentDescription): Schema {
  if (a.required || a.default === null || a.default === undefined) return schema;
  return { ...schema, default: typeof a.default === 'boolean' ? Number(a.default) : a.default };
}
