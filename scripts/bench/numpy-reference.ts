/**
 * The yardstick of issue 14: the same readout as a Python azcam server would do it in numpy, run by
 * the system python (Debian's python3-numpy) on 1 and on N threads. Per frame, from an interleaved
 * uint16 stream already in memory: de-interleave with each amp's flips, overscan level and noise,
 * data mean and spread, and the BZERO-shifted big-endian data units joined into one bytes object.
 * No simulation and no file: it does less than our readout, which does both.
 */
import { execFile, spawnSync } from 'node:child_process';
import { ampRegions, rawHeight, rawWidth, type DetectorGeometry } from '../../lib/readout/geometry.js';

const PYTHON = '/usr/bin/python3';

export interface NumpyReference {
  threads: number;
  frames: number;
  fps: number;
  /** Process CPU (all threads) per frame. */
  cpuMsPerFrame: number;
}

const SCRIPT = `
import json, sys, threading, time
import numpy as np
g = json.loads(sys.argv[1]); frames = int(sys.argv[2]); threads = int(sys.argv[3])
W, H, n = g['width'], g['height'], len(g['amps'])
stream = (1000 + np.random.default_rng(1).normal(0, 4, W * H * n)).astype(np.uint16)

def readout():
    cube = stream.reshape(H, W, n)
    units = []
    for a, amp in enumerate(g['amps']):
        img = cube[:, :, a]
        if amp['flipX']: img = img[:, ::-1]
        if amp['flipY']: img = img[::-1, :]
        img = np.ascontiguousarray(img)
        overscan = img[:, amp['overscanX']:amp['overscanX'] + g['overscanCols']]
        data = img[amp['dataY']:amp['dataY'] + g['ampHeight'], amp['dataX']:amp['dataX'] + g['ampWidth']]
        stats = (overscan.mean(), overscan.std(), data.mean(), data.std())
        units.append((img ^ 0x8000).astype('>u2').tobytes())
    return b''.join(units)

def work(count):
    for _ in range(count): readout()

readout()  # warm-up
started, cpu = time.perf_counter(), time.process_time()
pool = [threading.Thread(target=work, args=(frames // threads,)) for _ in range(threads)]
for t in pool: t.start()
for t in pool: t.join()
done = (frames // threads) * threads
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({'threads': threads, 'frames': done, 'fps': done / seconds, 'cpuMsPerFrame': 1000 * cpu / done}))
`;

/** Whether the system python has numpy (the bench skips the reference where it has not). */
export function numpyAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import numpy'], { timeout: 20000 }).status === 0;
}

/** `frames` numpy readouts of `g` spread over `threads` Python threads. */
export function runNumpyReference(g: DetectorGeometry, frames: number, threads: number): Promise<NumpyReference> {
  const layout = {
    width: rawWidth(g),
    height: rawHeight(g),
    ampWidth: g.ampWidth,
    ampHeight: g.ampHeight,
    overscanCols: g.overscanCols,
    amps: g.amps.map((amp) => {
      const { data, serialOverscan } = ampRegions(g, amp);
      return { flipX: amp.flipX, flipY: amp.flipY, dataX: data.x, dataY: data.y, overscanX: serialOverscan.x };
    }),
  };
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', SCRIPT, JSON.stringify(layout), String(frames), String(threads)], { timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`numpy reference failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as NumpyReference);
    });
  });
}
