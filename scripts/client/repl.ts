/**
 * The interactive prompt: a banner, history, tab completion of tool and command names from the
 * server's own command table (`help`), Ctrl-C that clears the line (or, during an exposure,
 * offers to abort it), and exit code 3 when the server goes away.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Completer } from 'node:readline';
import type { AzcamClient } from '../../lib/client.js';
import { interruptExposure } from './interrupt.js';
import { isCommand, isHangUp, print, runLine, type Session } from './session.js';

const HISTORY_FILE = join(homedir(), '.azcam_client_history');
const HISTORY_SIZE = 500;

export interface ReplOptions {
  /** `HOST:PORT`, for the banner. */
  address: string;
  abortOnInterrupt: boolean;
  /** The program name for messages. */
  name: string;
}

/** Returns the exit code: 0 when the person leaves, 3 when the server went away. */
export async function runRepl(session: Session, options: ReplOptions): Promise<number> {
  const names = await commandNames(session.client);
  console.log(`connected to ${options.address}${session.client.welcome ? `\n${session.client.welcome}` : ''}`);
  console.log('Tab completes command names; help lists the tools, help TOOL its commands; Ctrl-D leaves.');
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: 'azcam> ',
    history: loadHistory(),
    historySize: HISTORY_SIZE,
    completer: completeFrom(names),
  });
  let open = true;
  let hungUp = false;
  let serverGone = false;
  rl.on('close', () => (open = false));
  rl.on('history', saveHistory);
  void session.client.closed.then(() => {
    serverGone = !hungUp;
    rl.close();
  });
  rl.on('SIGINT', () => {
    if (session.exposure) void interruptExposure(session, rl, !options.abortOnInterrupt).catch((error: Error) => console.error(`${options.name}: ${error.message}`));
    else if (rl.line) clearLine(rl);
    else rl.close();
  });
  rl.prompt();
  for await (const line of rl) {
    if (isCommand(line)) {
      hungUp = isHangUp(line);
      await runLine(session, line).then(print, (error: Error) => console.error(`${options.name}: ${error.message}`));
    }
    if (open) rl.prompt();
  }
  process.stdout.write('\n');
  if (!serverGone) return 0;
  console.error(`${options.name}: the server closed the connection`);
  return 3;
}

/** As Ctrl-C does in a shell: the half-typed line goes, a fresh prompt comes. */
function clearLine(rl: ReturnType<typeof createInterface>): void {
  rl.write(null, { ctrl: true, name: 'e' });
  rl.write(null, { ctrl: true, name: 'u' });
}

/**
 * Every callable name: the built-ins, each tool, and each tool's commands as `tool.command`, read
 * from the server's `help` (so the list is whatever that server has). `api` commands go bare too.
 */
async function commandNames(client: AzcamClient): Promise<string[]> {
  const tools = asList(await client.command('help'));
  const names = ['help', 'register', 'echo', 'closeconnection', 'exit', ...tools];
  for (const tool of tools) {
    const commands = asList(await client.command(`help ${tool}`)).map((signature) => signature.split(' ')[0]!);
    names.push(...commands.map((command) => `${tool}.${command}`), ...(tool === 'api' ? commands : []));
  }
  return [...new Set(names)].sort();
}

function asList(reply: unknown): string[] {
  if (reply === undefined) return [];
  return Array.isArray(reply) ? reply.map(String) : [String(reply)];
}

/** Completes the first word (a command name); `help ` completes a tool or command name too. */
export function completeFrom(names: readonly string[]): Completer {
  return (line) => {
    const word = /^(?:help\s+)?(\S*)$/.exec(line)?.[1];
    if (word === undefined) return [[], line];
    const hits = names.filter((name) => name.startsWith(word));
    return [hits, word];
  };
}

function loadHistory(): string[] {
  try {
    return readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function saveHistory(history: string[]): void {
  try {
    writeFileSync(HISTORY_FILE, history.join('\n'));
  } catch {
    // History is a convenience; a read-only home must not break the REPL.
  }
}
