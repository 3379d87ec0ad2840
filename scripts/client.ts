#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AzcamClient, DEFAULT_TIMEOUT_MS, type ClientOptions } from '../lib/client.js';
import { RemoteError } from '../lib/errors.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../lib/protocol/endpoint.js';
import { formatError, isOkReply } from '../lib/protocol/reply.js';
import { shlexQuote } from '../lib/protocol/tokenize.js';

const NAME = 'azcam-client';
const EXIT = { ok: 0, errorReply: 1, usage: 2, connection: 3 } as const;
const POLL_INTERVAL_MS = 250;
const HISTORY_FILE = join(homedir(), '.azcam_client_history');
const HISTORY_SIZE = 500;
/** `expose`, `exposure.expose`, `cam2.exposure.expose1`, ... */
const EXPOSE = /^(?:(?:\S+\.)?(?:exposure|api)\.)?(expose1?)$/;

interface Session {
  client: AzcamClient;
  options: ClientOptions;
  /** Per-reply timeout as given by --timeout; undefined = the default for that command. */
  timeoutMs: number | undefined;
  progress: boolean;
}

/** What running one command line printed, and whether it succeeded. */
interface Outcome {
  output: string[];
  ok: boolean;
}

interface ExposureStatus {
  exposurestate: string;
  progressbar: number;
  filename: string;
  message: string;
}

function parseArguments(argv: string[]) {
  return yargs(argv)
    .scriptName(NAME)
    .usage(
      `$0 [options] [command words...]\n\n` +
        `Sends one command and prints the reply line (exit code 1 on ERROR), or sends each line of ` +
        `--file, or, with neither, reads commands from the terminal (prompt azcam>) or from stdin.`,
    )
    .options({
      host: { type: 'string', default: DEFAULT_HOST, requiresArg: true, description: 'server address' },
      port: { type: 'number', default: DEFAULT_PORT, requiresArg: true, description: 'server port' },
      timeout: {
        type: 'number',
        requiresArg: true,
        description: 'seconds to wait for each reply; 0 = forever',
        defaultDescription: `${DEFAULT_TIMEOUT_MS / 1000}; exposures: forever`,
      },
      file: { type: 'string', requiresArg: true, description: 'send each line of this file in order; stop at the first ERROR' },
      progress: { type: 'boolean', default: false, description: 'show a progress bar for expose and expose1' },
    })
    .parserConfiguration({ 'halt-at-non-option': true, 'parse-positional-numbers': false })
    .strictOptions()
    .check((args) => {
      if (!(Number.isInteger(args.port) && args.port >= 0 && args.port <= 65535)) throw new Error(`invalid --port: ${args.port}`);
      if (args.timeout !== undefined && !(args.timeout >= 0)) throw new Error(`invalid --timeout: ${args.timeout}`);
      if (args.file !== undefined && args._.length) throw new Error('give either a command or --file, not both');
      return true;
    })
    .example('$0 echo hello', 'prints OK hello')
    .example('$0 --progress exposure.expose 2', 'a 2 s exposure with a progress bar')
    .alias('h', 'help')
    .fail((message, error) => {
      console.error(`${NAME}: ${error?.message ?? message}\nRun ${NAME} --help for the options.`);
      process.exit(EXIT.usage);
    })
    .parseSync();
}

/**
 * The shell has already split the words: one word is taken as the whole command line; several are
 * re-quoted where needed so that `set_image_title "M31 field"` keeps its title as one argument.
 */
function commandLine(words: string[]): string {
  return words.length === 1 ? words[0]! : words.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (/^[^\s#'"]+$/.test(word)) return word;
  const keyword = /^([A-Za-z_]\w*=)(.*)$/s.exec(word);
  return keyword ? keyword[1]! + shlexQuote(keyword[2]!) : shlexQuote(word);
}

async function runLine(session: Session, line: string): Promise<Outcome> {
  const kind = EXPOSE.exec(line.trim().split(/\s+/)[0]!)?.[1];
  if (kind && session.progress) return exposeWithProgress(session, line, kind === 'expose1');
  const reply = await session.client.raw(line, timeoutFor(session, kind === 'expose'));
  return { output: [reply], ok: isOkReply(reply) };
}

/** An exposure replies when its file is written, however long it integrates: no default limit. */
function timeoutFor(session: Session, waitsForExposure: boolean): number {
  return session.timeoutMs ?? (waitsForExposure ? 0 : DEFAULT_TIMEOUT_MS);
}

/**
 * Sends the expose command and polls `exposure.get_status` on a second connection (the first one
 * runs its commands in order, so it is busy until `expose` replies) to drive the progress bar.
 */
async function exposeWithProgress(session: Session, line: string, returnsAtOnce: boolean): Promise<Outcome> {
  const monitor = await AzcamClient.connect(session.options);
  const bar = new cliProgress.SingleBar({ format: '{bar} {percentage}% | {state}', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(100, 0, { state: 'SETUP' });
  try {
    return returnsAtOnce ? await followExpose1(session, monitor, bar, line) : await followExpose(session, monitor, bar, line);
  } finally {
    bar.stop();
    await monitor.close();
  }
}

async function followExpose(session: Session, monitor: AzcamClient, bar: cliProgress.SingleBar, line: string): Promise<Outcome> {
  let replied = false;
  const reply = session.client.raw(line, timeoutFor(session, true)).finally(() => (replied = true));
  reply.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  while (!replied) {
    showStatus(bar, await getStatus(monitor));
    await Promise.race([delay(POLL_INTERVAL_MS), reply.catch(() => undefined)]);
  }
  const replyLine = await reply;
  if (isOkReply(replyLine)) bar.update(100, { state: 'done' });
  return { output: [replyLine], ok: isOkReply(replyLine) };
}

async function followExpose1(session: Session, monitor: AzcamClient, bar: cliProgress.SingleBar, line: string): Promise<Outcome> {
  const reply = await session.client.raw(line, timeoutFor(session, false));
  if (!isOkReply(reply)) return { output: [reply], ok: false };
  let status: ExposureStatus;
  let filename = '';
  do {
    await delay(POLL_INTERVAL_MS);
    status = await getStatus(monitor);
    showStatus(bar, status);
    filename = status.filename || filename;
  } while (status.exposurestate !== 'NONE');
  // A run that failed or was aborted ends in NONE with the reason as its message.
  if (status.message) return { output: [reply, formatError(status.message)], ok: false };
  return { output: [reply, filename], ok: true };
}

async function getStatus(monitor: AzcamClient): Promise<ExposureStatus> {
  return (await monitor.command('exposure.get_status')) as ExposureStatus;
}

function showStatus(bar: cliProgress.SingleBar, status: ExposureStatus): void {
  bar.update(Number(status.progressbar) || 0, { state: status.exposurestate });
}

function print(outcome: Outcome): void {
  for (const line of outcome.output) console.log(line);
}

async function runOnce(session: Session, line: string): Promise<number> {
  const outcome = await runLine(session, line);
  print(outcome);
  return outcome.ok ? EXIT.ok : EXIT.errorReply;
}

/** A blank line would make the server hang up, and comment lines do nothing: both are skipped. */
function readCommandFile(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

async function runFile(session: Session, lines: string[]): Promise<number> {
  for (const line of lines) {
    const outcome = await runLine(session, line);
    print(outcome);
    if (!outcome.ok) return EXIT.errorReply;
  }
  return EXIT.ok;
}

/** Interactive when stdin is a terminal (prompt, history); otherwise reads commands from stdin. */
async function runRepl(session: Session): Promise<number> {
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'azcam> ', history: loadHistory(), historySize: HISTORY_SIZE });
  let open = true;
  rl.on('close', () => (open = false));
  rl.on('SIGINT', () => rl.close());
  rl.on('history', saveHistory);
  void session.client.closed.then(() => rl.close());
  const prompt = (): void => {
    if (interactive && open) rl.prompt();
  };
  prompt();
  for await (const line of rl) {
    if (line.trim() !== '') await runLine(session, line).then(print, (error: Error) => console.error(`${NAME}: ${error.message}`));
    prompt();
  }
  return EXIT.ok;
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

async function main(): Promise<number> {
  const args = parseArguments(hideBin(process.argv));
  let fileLines: string[] | undefined;
  try {
    fileLines = args.file === undefined ? undefined : readCommandFile(args.file);
  } catch (error) {
    console.error(`${NAME}: cannot read --file: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const options: ClientOptions = { host: args.host, port: args.port };
  if (args.timeout !== undefined) options.timeoutMs = args.timeout * 1000;
  let client: AzcamClient;
  try {
    client = await AzcamClient.connect(options);
  } catch (error) {
    console.error(`${NAME}: cannot connect to ${args.host}:${args.port}: ${(error as Error).message}`);
    return EXIT.connection;
  }
  const session: Session = { client, options, timeoutMs: options.timeoutMs, progress: args.progress };
  const words = args._.map(String);
  try {
    if (words.length) return await runOnce(session, commandLine(words));
    if (fileLines) return await runFile(session, fileLines);
    return await runRepl(session);
  } catch (error) {
    console.error(`${NAME}: ${(error as Error).message}`);
    return error instanceof RemoteError ? EXIT.errorReply : EXIT.connection;
  } finally {
    await client.close();
  }
}

process.exitCode = await main();
