/**
 * azcam's web API: `GET /api/{tool}/{command}?name=value` for commands that read, and
 * `POST /api` with `{"tool": ..., "command": ..., "args": [...], "kwargs": {...}}` for any
 * command. Both run the command through the socket's dispatcher and answer in azcam's shape.
 * `GET /api/tools` lists every tool's commands from the command tables.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TOOL, type Dispatcher } from '../dispatch/dispatcher.js';
import type { ToolRegistry } from '../dispatch/registry.js';
import type { Command } from '../protocol/parse.js';
import { MethodNotAllowedError } from '../errors.js';
import { apiAnswer } from './api-reply.js';
import { errorBody } from './error-body.js';
import { httpStatusOf } from './http-status.js';
import { httpSession } from './http-session.js';
import { mayRunOnGet } from './reading.js';

type Scalar = string | number | boolean;

interface PostBody {
  tool?: string;
  command: string;
  args?: Scalar[];
  kwargs?: Record<string, Scalar>;
}

const SCALAR = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
const POST_SCHEMA = {
  body: {
    type: 'object',
    required: ['command'],
    additionalProperties: false,
    properties: {
      tool: { type: 'string', minLength: 1 },
      command: { type: 'string', minLength: 1 },
      args: { type: 'array', items: SCALAR },
      kwargs: { type: 'object', additionalProperties: SCALAR },
    },
  },
};
const NAME = { type: 'string', pattern: '^[^\\s/]+$' };
const QUERY = { type: 'object', additionalProperties: { type: 'string' } };

export function registerApiRoutes(app: FastifyInstance, dispatcher: Dispatcher, tools: ToolRegistry): void {
  // `command` in the answer is azcam's: the path after /api/ for a GET, `api.NAME` for a POST.
  const answer = async (request: FastifyRequest, reply: FastifyReply, command: Command, named: string): Promise<void> => {
    const outcome = await dispatcher.run(command, httpSession(request));
    const { statusCode, body } = apiAnswer(named, outcome);
    await reply.code(statusCode).send(body);
  };

  const get = async (request: FastifyRequest<{ Params: { tool?: string; command: string }; Querystring: Record<string, string> }>, reply: FastifyReply) => {
    const { tool = DEFAULT_TOOL, command } = request.params;
    const path = request.params.tool === undefined ? command : `${tool}/${command}`;
    if (!mayRunOnGet(tools, tool, command)) {
      const refusal = new MethodNotAllowedError(`${tool}.${command} changes state: use POST /api with a JSON body`);
      await reply.code(httpStatusOf(refusal)).header('allow', 'POST').send(errorBody(refusal, path));
      return;
    }
    await answer(request, reply, { tool, method: command, args: [], kwargs: { ...request.query } }, path);
  };
  app.get('/api/:tool/:command', { schema: { params: { type: 'object', properties: { tool: NAME, command: NAME } }, querystring: QUERY } }, get);
  app.get('/api/:command', { schema: { params: { type: 'object', properties: { command: NAME } }, querystring: QUERY } }, get);

  app.get('/api/tools', async () => ({ tools: tools.describe() }));

  app.post('/api', { schema: POST_SCHEMA }, async (request: FastifyRequest<{ Body: PostBody }>, reply) => {
    const { tool = DEFAULT_TOOL, command, args = [], kwargs = {} } = request.body;
    const words = Object.fromEntries(Object.entries(kwargs).map(([key, value]) => [key, String(value)]));
    await answer(request, reply, { tool, method: command, args: args.map(String), kwargs: words }, `${tool}.${command}`);
  });
}
