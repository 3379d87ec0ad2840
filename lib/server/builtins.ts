import { PermissionError } from '../errors.js';
import type { Call } from '../dispatch/registry.js';
import type { ServerControl } from '../dispatch/session.js';

/**
 * The server's own commands. They are matched whole-word and case-insensitively, before any tool
 * (the original matched prefixes, so `exposure` could run `exit`).
 */
export class Builtins {
  private registrations = 0;

  constructor(private readonly server: ServerControl) {}

  register({ args, session }: Call): void {
    const name = args.atMost(1).string(0, 'name');
    session.name = `${name}_${++this.registrations}`;
  }

  /**
   * `OK` and the text as sent; a `key=value` word comes back too (after the others: the parser
   * splits them). The reply is built here, so that `echo ERROR disk on fire` cannot forge a status.
   */
  echo({ args }: Call): string {
    const keywords = Object.entries(args.keywords).map(([key, value]) => `${key}=${value}`);
    return ['OK', args.rest(0), ...keywords].filter(Boolean).join(' ');
  }

  closeconnection({ args, session }: Call): void {
    args.atMost(0);
    session.closeAfterReply();
  }

  updatemonitor(): void {}

  exit({ args, session }: Call): void {
    args.atMost(0);
    if (!this.server.allowExit) throw new PermissionError('exit not allowed: server not started with --allow-exit');
    if (!session.isLoopback) throw new PermissionError('exit allowed only from the local machine');
    this.server.requestStop();
  }
}
