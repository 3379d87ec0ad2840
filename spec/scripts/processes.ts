import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled scripts, as `npm start` and the `bin` entries run them. */
export const SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/server.js');
export const CLIENT_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/client.js');

const LISTENING = /listening on \S+:(\d+)/;

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A spawned script, with its output collected as it arrives. */
export class ScriptProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited and its output is complete. */
  readonly finished: Promise<Finished>;
  stdout = '';
  stderr = '';

  /** `wrapper`, if given, is a command that runs node with the rest (e.g. `sh -c 'ulimit -n 256 && exec "$0" "$@"'`). */
  constructor(script: string, args: string[], input?: string, wrapper: string[] = []) {
    const [command, ...prefix] = [...wrapper, process.execPath];
    this.child = spawn(command, [...prefix, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.child.stdin!.end(input);
    this.finished = new Promise((resolve) =>
      this.child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  /** Resolves at the first output line matching `pattern`; rejects if the process exits first. */
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(this.stdout + this.stderr);
        if (!match) return;
        this.child.stdout!.off('data', check);
        this.child.stderr!.off('data', check);
        resolve(match);
      };
      this.child.stdout!.on('data', check);
      this.child.stderr!.on('data', check);
      void this.finished.then(() => reject(new Error(`exited before printing ${pattern}:\n${this.stdout}${this.stderr}`)));
      check();
    });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Runs a script to completion. */
export function runScript(script: string, args: string[], input?: string): Promise<Finished> {
  return new ScriptProcess(script, args, input).finished;
}

/** Starts the server on a free port; resolves once it logs where it listens. */
export async function startServerProcess(args: string[] = [], wrapper: string[] = []): Promise<{ server: ScriptProcess; port: number }> {
  const server = new ScriptProcess(SERVER_SCRIPT, ['--port', '0', '--workers', '1', ...args], undefined, wrapper);
  const [, port] = await server.waitForOutput(LISTENING);
  return { server, port: Number(port) };
}
