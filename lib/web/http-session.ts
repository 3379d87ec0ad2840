import type { FastifyRequest } from 'fastify';
import type { Session } from '../dispatch/session.js';
import { isLoopbackAddress } from '../server/access.js';

let requests = 0;

/** The session a web API request runs its one command in: named `http_<n>` in logs. */
export function httpSession(request: FastifyRequest): Session {
  const id = ++requests;
  return {
    id,
    name: `http_${id}`,
    address: request.ip,
    isLoopback: isLoopbackAddress(request.ip),
    // One command per request: there is no connection to close.
    closeAfterReply: () => undefined,
  };
}
