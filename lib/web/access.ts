import type { FastifyInstance } from 'fastify';
import { AccessDeniedError } from '../errors.js';
import { AccessList } from '../server/access.js';
import { ThrottledWarning } from '../throttled-warning.js';
import { errorBody } from './error-body.js';

/** The command socket's `--allow` list, applied to every HTTP request (the live feed included). */
export function registerAccessCheck(app: FastifyInstance, allow: readonly string[]): void {
  const access = new AccessList(allow);
  const refusals = new ThrottledWarning('web client refused'); // a refused page may retry in a loop
  app.addHook('onRequest', async (request, reply) => {
    if (access.allows(request.ip)) return;
    refusals.warn({ address: request.ip, reason: 'not in --allow' });
    await reply.code(403).send(errorBody(new AccessDeniedError()));
  });
}
