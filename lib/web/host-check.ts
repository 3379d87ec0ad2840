import type { FastifyInstance } from 'fastify';
import { hostname } from 'node:os';
import { AccessDeniedError } from '../errors.js';
import { ThrottledWarning } from '../throttled-warning.js';
import { hostRefusal, serverHostNames } from './allowed-hosts.js';
import { errorBody } from './error-body.js';

/**
 * Refuses, on every route, a request sent to a host name that is not this server's (DNS
 * rebinding), or one that may change state sent from another origin. See allowed-hosts.ts.
 */
export function registerHostCheck(app: FastifyInstance, webHosts: readonly string[], bindHost: string): void {
  const names = serverHostNames(webHosts, hostname(), bindHost);
  // A hostile page can send requests in a loop.
  const refusals = new ThrottledWarning('web client refused');
  app.addHook('onRequest', async (request, reply) => {
    const { host, origin } = request.headers;
    const reason = hostRefusal({ method: request.method, host, origin }, names);
    if (reason === undefined) return;
    refusals.warn({ address: request.ip, reason });
    await reply.code(403).send(errorBody(new AccessDeniedError(reason)));
  });
}
