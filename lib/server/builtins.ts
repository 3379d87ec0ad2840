import { PermissionError } from '../errors.js';
import { arg, command, type ToolSpec } from '../dispatch/command.js';
import type { ServerControl } from '../dispatch/session.js';

/**
 * The server's own commands. They are matched whole-word and case-insensitively, before any tool
 * (the original matched prefixes, so `exposure` could run `exit`).
 */
export function builtins(server: ServerControl): ToolSpec {
  let registrations = 0;
  return {
    description: 'The command server itself',
    commands: [
      command('register', 'Name this connection (the console sends `register console`)', [arg.str('name')], ({ name }, { session }) => {
        session.name = `${name}_${++registrations}`;
      }),
      // `OK` and the text as sent; a `key=value` word comes back too (after the others: the parser
      // splits them). The reply is built here, so that `echo ERROR disk on fire` cannot forge a status.
      command('echo', 'Reply with the text sent', [arg.words('text'), arg.keywords('keywords')], ({ text, keywords }) =>
        ['OK', text.join(' '), ...Object.entries(keywords).map(([key, value]) => `${key}=${value}`)].filter(Boolean).join(' '),
      ),
      command('closeconnection', 'Close this connection after the reply', [], (_, { session }) => session.closeAfterReply()),
      command('updatemonitor', 'Accepted for the azcam monitor; does nothing', [], () => undefined),
      command('exit', 'Stop the server (only with --allow-exit, only from this machine)', [], (_, { session }) => {
        if (!server.allowExit) throw new PermissionError('exit not allowed: server not started with --allow-exit');
        if (!session.isLoopback) throw new PermissionError('exit allowed only from the local machine');
        server.requestStop();
      }),
    ],
  };
}
