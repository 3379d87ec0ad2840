/**
 * Bench work in a process of its own (load generators, latency probes), so that what it measures
 * is the server's time and not the bench's: the parent passes its input as JSON on the command
 * line and reads one JSON line back.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * Runs the entry script `entry` (a module that calls childMain) with `input`; resolves with what
 * it printed. A child still running after `timeoutMs` (a server that stopped answering) is killed.
 */
export async function runChild<T>(entry: URL, input: unknown, timeoutMs: number): Promise<T> {
  const script = fileURLToPath(entry);
  const child = spawn(process.execPath, [script, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close', not 'exit': only then is all of its output read.
  const [code, signal] = (await once(child, 'close').finally(() => clearTimeout(deadline))) as [number | null, NodeJS.Signals | null];
  if (signal === 'SIGKILL') throw new Error(`${script} did not finish within ${timeoutMs} ms`);
  if (code !== 0) throw new Error(`${script} exited with ${code ?? signal}`);
  return JSON.parse(output) as T;
}

/** The body of an entry script: `run` on the input runChild passed, its result printed as JSON. */
export async function childMain<I, T>(run: (input: I) => Promise<T>): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as I;
  process.stdout.write(`${JSON.stringify(await run(input))}\n`);
}

/** How long a child measuring for warm-up + duration may take: the window, plus start-up and the last replies. */
export function childDeadlineMs(warmupMs: number, durationMs: number): number {
  return warmupMs + durationMs + 30_000;
}
