/**
 * Running command lines for the client CLI: one at a time over the main connection, exposures
 * followed on a second one (the first is busy until `expose` replies), and the one rule for
 * command files and piped stdin.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { AzcamClient, DEFAULT_TIMEOUT_MS, type ClientOptions } from '../../lib/client.js';
import { formatError, isOkReply } from '../../lib/protocol/reply.js';
import { ExposureProgress, outcomeOf, type ExposureStatus } from './progress.js';

const POLL_INTERVAL_MS = 250;
/** `expose`, `exposure.expose`, `cam2.exposure.expose1`, ...: group 1 is the tool prefix. */
const EXPOSE = /^((?:\S+\.)?(?:exposure|api)\.)?(expose1?)$/;
/** Commands after which the server hangs up on purpose. */
const HANG_UP = /^(closeconnection|exit)$/i;

export function isHangUp(line: string): boolean {
  return HANG_UP.test(line.trim());
}

export interface Session {
  client: AzcamClient;
  options: ClientOptions;
  /** Per-reply timeout as given by --timeout; undefined = the default for that command. */
  timeoutMs: number | undefined;
  progress: boolean;
  /** The exposure running now, if any: what would abort it. */
  exposure?: RunningExposure;
}

export interface RunningExposure {
  /** The expose command's tool with its dot (`cam2.exposure.`), or '' for the api short form. */
  tool: string;
  display?: ExposureProgress;
  /** Set while Ctrl-C is asking whether to abort; the question goes when the exposure ends. */
  question?: AbortController;
}

/** What running one command line printed, and whether it succeeded. */
export interface Outcome {
  output: string[];
  ok: boolean;
}

/** Blank lines (the server would hang up) and `#` comments are not sent. */
export function isCommand(line: string): boolean {
  const text = line.trim();
  return text !== '' && !text.startsWith('#');
}

export async function runLine(session: Session, line: string): Promise<Outcome> {
  const match = EXPOSE.exec(line.trim().split(/\s+/)[0]!);
  if (!match) return reply(await session.client.raw(line, timeoutFor(session, false)));
  session.exposure = { tool: match[1] ?? '' };
  try {
    if (session.progress) return await exposeWithProgress(session, session.exposure, line, match[2] === 'expose1');
    return reply(await session.client.raw(line, timeoutFor(session, match[2] === 'expose')));
  } finally {
    session.exposure.question?.abort();
    session.exposure = undefined;
  }
}

/**
 * Command lines from a file or piped stdin, in order: comments and blank lines skipped, stopping
 * at the first ERROR (false) or after a command that hangs up.
 */
export async function runLines(session: Session, lines: Iterable<string> | AsyncIterable<string>): Promise<boolean> {
  for await (const line of lines) {
    if (!isCommand(line)) continue;
    const outcome = await runLine(session, line);
    print(outcome);
    if (!outcome.ok) return false;
    if (isHangUp(line)) return true;
  }
  return true;
}

export function print(outcome: Outcome): void {
  for (const line of outcome.output) console.log(line);
}

/** Sends the running exposure's abort over a connection of its own; resolves with the reply. */
export async function abortExposure(session: Session): Promise<string> {
  const exposure = session.exposure;
  if (!exposure) return 'no exposure running';
  const other = await AzcamClient.connect(session.options);
  try {
    return await other.raw(`${exposure.tool}abort`);
  } finally {
    await other.close();
  }
}

function reply(line: string): Outcome {
  return { output: [line], ok: isOkReply(line) };
}

/** An exposure replies when its file is written, however long it integrates: no default limit. */
function timeoutFor(session: Session, waitsForExposure: boolean): number {
  return session.timeoutMs ?? (waitsForExposure ? 0 : DEFAULT_TIMEOUT_MS);
}

/** Sends the expose command and follows `exposure.get_status` on a second connection. */
async function exposeWithProgress(session: Session, exposure: RunningExposure, line: string, returnsAtOnce: boolean): Promise<Outcome> {
  const monitor = await AzcamClient.connect(session.options);
  const display = (exposure.display = new ExposureProgress());
  const status = (): Promise<ExposureStatus> => monitor.command(`${exposure.tool}get_status`) as Promise<ExposureStatus>;
  try {
    return returnsAtOnce ? await followExpose1(session, status, display, line) : await followExpose(session, status, display, line);
  } finally {
    display.pause();
    await monitor.close();
  }
}

type StatusQuery = () => Promise<ExposureStatus>;

async function followExpose(session: Session, getStatus: StatusQuery, display: ExposureProgress, line: string): Promise<Outcome> {
  let replied = false;
  const replyLine = session.client.raw(line, timeoutFor(session, true)).finally(() => (replied = true));
  replyLine.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  while (!replied) {
    display.show(await getStatus());
    await Promise.race([delay(POLL_INTERVAL_MS), replyLine.catch(() => undefined)]);
  }
  const text = await replyLine;
  display.end(isOkReply(text) ? outcomeOf(await getStatus()) : text);
  return reply(text);
}

async function followExpose1(session: Session, getStatus: StatusQuery, display: ExposureProgress, line: string): Promise<Outcome> {
  const text = await session.client.raw(line, timeoutFor(session, false));
  if (!isOkReply(text)) return reply(text);
  let status: ExposureStatus;
  let filename = '';
  do {
    await delay(POLL_INTERVAL_MS);
    status = await getStatus();
    display.show(status);
    filename = status.filename || filename;
  } while (status.exposurestate !== 'NONE');
  display.end(outcomeOf({ ...status, filename }));
  // A run that failed or was aborted ends in NONE with the reason as its message.
  if (status.message) return { output: [text, formatError(status.message)], ok: false };
  return { output: [text, filename], ok: true };
}
