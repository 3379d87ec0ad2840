#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AzcamClient, DEFAULT_TIMEOUT_MS, type ClientOptions } from '../lib/client.js';
import { RemoteError } from '../lib/errors.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../lib/protocol/endpoint.js';
import { shlexQuote } from '../lib/protocol/tokenize.js';
import { interruptExposure } from './client/interrupt.js';
import { RESTORE_TERMINAL } from './client/progress.js';
import { runRepl } from './client/repl.js';
import { print, runLine, runLines, type Session } from './client/session.js';
import { fullWidth, numberOption } from './options.js';

const NAME = 'azcam-client';
const EXIT = { ok: 0, errorReply: 1, usage: 2, connection: 3, interrupted: 130 } as const;

function parseArguments(argv: string[]) {
  return fullWidth(yargs(argv))
    .scriptName(NAME)
    .usage(
      `$0 [options] [command words...]\n\n` +
        `Sends one command and prints the reply line (exit code 1 on ERROR), or sends each line of --file, or, with ` +
        `neither, reads commands from the terminal (prompt azcam>) or from piped stdin. Options may come anywhere; ` +
        `after -- everything is command words.`,
    )
    .options({
      host: { type: 'string', default: DEFAULT_HOST, requiresArg: true, description: 'server address' },
      port: numberOption('port', 'server port', DEFAULT_PORT),
      timeout: numberOption('timeout', 'seconds to wait for each reply; 0 = forever', `${DEFAULT_TIMEOUT_MS / 1000}; exposures: forever`),
      file: {
        type: 'string',
        requiresArg: true,
        description: 'send each line of this file in order, skipping blank and # lines; stop at the first ERROR',
      },
      progress: { type: 'boolean', default: false, description: 'show a progress bar for expose and expose1' },
      'abort-on-interrupt': { type: 'boolean', default: false, description: 'Ctrl-C during an exposure sends exposure.abort without asking' },
    })
    .parserConfiguration({ 'populate--': true, 'parse-positional-numbers': false })
    .strictOptions()
    .check((args) => {
      const port = args.port ?? DEFAULT_PORT;
      if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`port must be an integer from 0 to 65535, got ${port}`);
      if (args.timeout !== undefined && !(args.timeout >= 0)) throw new Error(`timeout must be a number of seconds >= 0, got ${args.timeout}`);
      if (args.file !== undefined && args._.length) throw new Error('give either a command or --file, not both');
      return true;
    })
    .example('$0 echo hello', 'prints OK hello')
    .example('$0 exposure.expose 2.5 object "M31 field" --progress', 'a 2.5 s exposure with a progress bar')
    .example('$0 --port 2403 tempcon.get_temperatures', 'ask the server on port 2403')
    .example('$0 --file night.txt', 'run a night\'s commands, stopping at the first ERROR')
    .example('$0 echo -- --port', 'after --, words are sent as they are: prints OK --port')
    .example('$0', 'an interactive prompt; Tab completes command names, help lists them')
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

/**
 * Ctrl-C outside the interactive prompt: during an exposure, abort it (asked on a terminal,
 * without asking under --abort-on-interrupt); otherwise leave with exit code 130.
 */
function interruptible(session: Session, abortOnInterrupt: boolean): void {
  process.on('SIGINT', () => {
    if (!session.exposure || !(abortOnInterrupt || process.stdin.isTTY)) process.exit(EXIT.interrupted);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', () => process.exit(EXIT.interrupted));
    void interruptExposure(session, rl, !abortOnInterrupt)
      .catch((error: Error) => console.error(`${NAME}: ${error.message}`))
      .finally(() => rl.close());
  });
}

async function main(): Promise<number> {
  // However the client ends (Ctrl-C included), the cursor and line wrap come back.
  if (process.stderr.isTTY) process.on('exit', () => process.stderr.write(RESTORE_TERMINAL));
  const args = parseArguments(hideBin(process.argv));
  let fileLines: string[] | undefined;
  try {
    fileLines = args.file === undefined ? undefined : readFileSync(args.file, 'utf8').split(/\r?\n/);
  } catch (error) {
    console.error(`${NAME}: cannot read --file: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const options: ClientOptions = { host: args.host, port: args.port ?? DEFAULT_PORT };
  if (args.timeout !== undefined) options.timeoutMs = args.timeout * 1000;
  const address = `${options.host}:${options.port}`;
  let client: AzcamClient;
  try {
    client = await AzcamClient.connect(options);
  } catch (error) {
    console.error(`${NAME}: cannot connect to ${address}: ${(error as Error).message}`);
    return EXIT.connection;
  }
  const session: Session = { client, options, timeoutMs: options.timeoutMs, progress: args.progress };
  const words = [...args._, ...((args['--'] as string[] | undefined) ?? [])].map(String);
  try {
    if (process.stdin.isTTY && !words.length && !fileLines) return await runRepl(session, { address, abortOnInterrupt: args.abortOnInterrupt, name: NAME });
    interruptible(session, args.abortOnInterrupt);
    if (words.length) {
      const outcome = await runLine(session, commandLine(words));
      print(outcome);
      return outcome.ok ? EXIT.ok : EXIT.errorReply;
    }
    const lines = fileLines ?? createInterface({ input: process.stdin, crlfDelay: Infinity });
    return (await runLines(session, lines)) ? EXIT.ok : EXIT.errorReply;
  } catch (error) {
    console.error(`${NAME}: ${(error as Error).message}`);
    return error instanceof RemoteError ? EXIT.errorReply : EXIT.connection;
  } finally {
    await client.close();
    process.stdin.destroy(); // a pipe that stopped at an ERROR must not keep the client waiting
  }
}

process.exitCode = await main();
