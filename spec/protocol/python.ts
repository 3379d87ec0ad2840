import { spawnSync } from 'node:child_process';

/**
 * Runs a Python snippet once over a whole batch of cases: `script` reads the JSON array `cases`
 * and sets `results` to an array of the same length. Undefined when python3 is not installed.
 */
export function runPython(script: string, cases: unknown[]): unknown[] | undefined {
  const program = [
    'import json, sys',
    'cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))',
    script,
    'sys.stdout.buffer.write(json.dumps(results).encode("utf-8"))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', program], {
    input: JSON.stringify(cases),
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) return undefined;
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString('utf8')) as unknown[];
}
