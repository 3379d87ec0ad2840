import { InvalidArgumentError, PermissionError } from '../errors.js';
import { arg, command, type Call, type ToolSpec } from '../dispatch/command.js';
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
      // As azcam's, the first word names the connection and any others are ignored (`register console extra`).
      command('register', 'Name this connection (the console sends `register console`)', ANY_TEXT, ({ text: [name] }, { session }) => {
        if (name === undefined) throw new InvalidArgumentError('missing name');
        session.name = `${name}_${++registrations}`;
      }),
      // `OK` and the text after `echo ` exactly as sent, spacing and quotes kept, as azcam's echo
      // replies. The reply is built here, so that `echo ERROR disk on fire` cannot forge a status.
      command('echo', 'Reply with the text sent', ANY_TEXT, (args, call) => {
        const text = textAfterName(args, call);
        return text === undefined ? 'OK' : `OK ${text}`;
      }),
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

/** Any words and `key=value` words: azcam's `echo` and `register` refuse no argument. */
const ANY_TEXT = [arg.words('text'), arg.keywords('keywords')];

/**
 * What follows the command's name and a space, as azcam's built-ins read it (`line.split(" ")[1:]`
 * rejoined); undefined when nothing does. Without a line (the web API), the arguments rejoined.
 */
function textAfterName(args: Readonly<Record<string, unknown>>, { line }: Call): string | undefined {
  if (line === undefined) {
    const words = [...(args['text'] as string[]), ...Object.entries(args['keywords'] as Record<string, string>).map(([key, value]) => `${key}=${value}`)];
    return words.length === 0 ? undefined : words.join(' ');
  }
  const sent = line.trimStart();
  const space = sent.indexOf(' ');
  return space === -1 ? undefined : sent.slice(space + 1);
}
