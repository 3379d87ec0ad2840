/**
 * Bench work in a process of its own (load generators, latency probes), so that what it measures
 * is the server's time and not the bench's: the parent passes its input as JSON on the command
 * line and reads one JSON line back.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Runs the entry script `entry` (a module that calls childMain) with `input`; resolves with what it printed. */
export async function runChild<T>(entry: URL, input: unknown): Promise<T> {
  const child = spawn(process.execPath, [fileURLToPath(entry), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${fileURLToPath(entry)} exited with ${code}`);
  return JSON.parse(output) as T;
}

/** The body of an entry script: `run` on the input runChild passed, its result printed as JSON. */
export async function childMain<I, T>(run: (input: I) => Promise<T>): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as I;
  process.stdout.write(`${JSON.stringify(await run(input))}\n`);
}
