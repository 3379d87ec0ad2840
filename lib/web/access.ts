import type { FastifyInstance } from 'fastify';
import { AccessDeniedError } from '../errors.js';
import { log } from '../log.js';
import { AccessList } from '../server/access.js';
import { errorBody } from './error-body.js';

/** The command socket's `--allow` list, applied to every HTTP request (the live feed included). */
export function registerAccessCheck(app: FastifyInstance, allow: readonly string[]): void {
  const access = new AccessList(allow);
  app.addHook('onRequest', async (request, reply) => {
    if (access.allows(request.ip)) return;
    log.warn('web client refused', { address: request.ip, reason: 'not in --allow' });
    await reply.code(403).send(errorBody(new AccessDeniedError()));
  });
}
