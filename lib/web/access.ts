import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostname } from 'node:os';
import { AccessDeniedError } from '../errors.js';
import { AccessList } from '../server/access.js';
import { ThrottledWarning } from '../throttled-warning.js';
import { hostRefusal, serverHostNames } from './allowed-hosts.js';
import { errorBody } from './error-body.js';

export interface WebAccess {
  /** The command socket's `--allow` list. */
  allow: readonly string[];
  /** `--web-hosts`: names to answer to besides addresses, localhost, this machine's names and `host`. */
  webHosts: readonly string[];
  /** The address the server listens on. */
  host: string;
}

/**
 * Who may use the web port, on every route (the live feed included): a client the command
 * socket's `--allow` list admits, sending to an address or a name of this server (DNS rebinding;
 * see allowed-hosts.ts), and, when it may change state, from this server's own origin.
 */
export function registerAccessCheck(app: FastifyInstance, { allow, webHosts, host }: WebAccess): void {
  const access = new AccessList(allow);
  const names = serverHostNames(webHosts, hostname(), host);
  const refusals = new ThrottledWarning('web client refused'); // a refused page may retry in a loop
  const refusal = (request: FastifyRequest): { reason: string; error: AccessDeniedError } | undefined => {
    // A client outside --allow learns nothing about the names this server answers to.
    if (!access.allows(request.ip)) return { reason: 'not in --allow', error: new AccessDeniedError() };
    const reason = hostRefusal({ method: request.method, host: request.headers.host, origin: request.headers.origin }, names);
    return reason === undefined ? undefined : { reason, error: new AccessDeniedError(reason) };
  };
  app.addHook('onRequest', async (request, reply) => {
    const refused = refusal(request);
    if (!refused) return;
    refusals.warn({ address: request.ip, reason: refused.reason });
    await reply.code(403).send(errorBody(refused.error));
  });
  // A stopping server reports the count now: its timer would die with the process, or fire after the server is gone.
  app.addHook('onClose', async () => refusals.reportHeldBack());
}
