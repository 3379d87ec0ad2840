/**
 * Scenario 3: the readout pipeline itself, driven through a ReadoutPool (no protocol): frames per
 * second for 1..N workers, each stage's time per frame, the write, CPU per frame and peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitsFloat } from '../../lib/readout/fits.js';
import { fullRoi, presetGeometry, rawPixelCount, type DetectorGeometry } from '../../lib/readout/geometry.js';
import type { BiasSubtraction } from '../../lib/readout/overscan.js';
import { READOUTS_PER_THREAD, ReadoutPool, type WrittenReadout } from '../../lib/readout/pool.js';
import type { ImageFormat, ReadoutRequest } from '../../lib/readout/request.js';
import { diskWriteRate } from './disk-baseline.js';
import { machineEfficiency } from './machine-baseline.js';
import { numpyAvailable, runNumpyReference, type NumpyReference } from './numpy-reference.js';
import type { Progress } from './progress.js';
import { now, nsToMs } from './clock.js';
import { sampleRss } from './rss.js';

export interface ReadoutScalingOptions {
  detector: string;
  workerCounts: number[];
  /** Measured frames per worker (a run with w workers processes w times as many). */
  framesPerWorker: number;
  /** Frames per worker first processed and not measured (JIT, work buffers). */
  warmupFramesPerWorker: number;
  imageType: string;
  biasSubtraction: BiasSubtraction;
  format: ImageFormat;
}

/** Mean milliseconds per frame. */
export interface StageMeans {
  simulate: number;
  deinterleave: number;
  overscan: number;
  /** Data statistics, ROI and binning. */
  statsAndBin: number;
  encode: number;
  /** The worker's whole pipeline. */
  worker: number;
  /** ImageStore.write on the worker, after the pipeline (flushed to disk). */
  write: number;
  /** The part of write after the bytes are in the file: fsync and rename, overlapped with the next frame. */
  flush: number;
}

export interface ReadoutRun {
  workers: number;
  frames: number;
  seconds: number;
  fps: number;
  /** Raw pixels processed, 10^6 bytes per second. */
  rawMBPerS: number;
  /** fps per worker relative to the first run's. */
  efficiency: number;
  /** The same for a pure ALU loop on as many threads, measured right after (machine-baseline.ts). */
  machineEfficiency: number;
  /** The same for copying memory on as many threads, a readout's kind of traffic (machine-baseline.ts). */
  memoryEfficiency: number;
  /** Process CPU time (all threads) per frame. */
  cpuMsPerFrame: number;
  stages: StageMeans;
  peakRssMB: number;
}

export interface ReadoutScalingResult {
  detector: string;
  amps: number;
  rawMBPerFrame: number;
  fitsMBPerFrame: number;
  biasSubtraction: BiasSubtraction;
  format: ImageFormat;
  runs: ReadoutRun[];
  /** The numpy readout on 1 thread and on as many as the most workers (none without numpy). */
  numpy: NumpyReference[];
  /** What the data folder's disk sustains: FITS-sized files written by the image store, as many at a time as the most workers hold (disk-baseline.ts). */
  disk: DiskReference;
}

const MB = 1e6;

export async function runReadoutScenario(options: ReadoutScalingOptions, progress: Progress): Promise<ReadoutScalingResult> {
  const geometry = presetGeometry(options.detector);
  const dataDir = await mkdtemp(join(tmpdir(), 'azcam-bench-readout-'));
  try {
    const runs: Omit<ReadoutRun, 'efficiency'>[] = [];
    let fitsBytes = 0;
    for (const workers of options.workerCounts) {
      const measured = await measureWorkers(workers, geometry, dataDir, options, progress);
      fitsBytes = measured.fitsBytes;
      runs.push({
        ...measured.run,
        machineEfficiency: await machineEfficiency(workers, 'alu'),
        memoryEfficiency: await machineEfficiency(workers, 'memory'),
      });
    }
    const base = runs[0];
    return {
      detector: geometry.name,
      amps: geometry.amps.length,
      rawMBPerFrame: rawBytes(geometry) / MB,
      fitsMBPerFrame: fitsBytes / MB,
      biasSubtraction: options.biasSubtraction,
      format: options.format,
      runs: runs.map((run) => ({ ...run, efficiency: run.fps / run.workers / (base.fps / base.workers) })),
      numpy: await numpyReference(geometry, options, progress),
      disk: await diskReference(dataDir, fitsBytes, READOUTS_PER_THREAD * Math.max(...options.workerCounts), progress),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export interface DiskReference {
  /** Files written at once. */
  writers: number;
  /** 10^6 bytes per second, flushed. */
  MBPerS: number;
}

/** The data folder's disk, written as the most workers write it, right after ours. */
async function diskReference(dataDir: string, fitsBytes: number, writers: number, progress: Progress): Promise<DiskReference> {
  progress.begin(`readout: disk, ${writers} writer(s)`, 1);
  try {
    return { writers, MBPerS: (await diskWriteRate(dataDir, fitsBytes, writers)) / MB };
  } finally {
    progress.end();
  }
}

/** Measured right after ours, on the same machine: 1 thread, then as many as the most workers. */
async function numpyReference(geometry: DetectorGeometry, options: ReadoutScalingOptions, progress: Progress): Promise<NumpyReference[]> {
  if (!numpyAvailable()) return [];
  const threads = [...new Set([1, Math.max(...options.workerCounts)])];
  const results: NumpyReference[] = [];
  for (const count of threads) {
    progress.begin(`readout: numpy reference, ${count} thread(s)`, 1);
    results.push(await runNumpyReference(geometry, count * options.framesPerWorker, count));
    progress.end();
  }
  return results;
}

async function measureWorkers(
  workers: number,
  geometry: DetectorGeometry,
  dataDir: string,
  options: ReadoutScalingOptions,
  progress: Progress,
): Promise<{ run: Omit<ReadoutRun, 'efficiency' | 'machineEfficiency' | 'memoryEfficiency'>; fitsBytes: number }> {
  const frames = workers * options.framesPerWorker;
  const pool = new ReadoutPool({ root: dataDir, threads: workers, maxQueue: READOUTS_PER_THREAD * workers });
  try {
    const batch = async (count: number, label: string): Promise<WrittenReadout[]> => {
      let done = 0;
      progress.begin(label, count);
      try {
        return await processFrames(pool, dataDir, geometry, options, count, () => progress.update(++done));
      } finally {
        progress.end();
      }
    };
    await batch(workers * options.warmupFramesPerWorker, `readout: ${workers} worker(s), warm-up`);
    const rss = sampleRss();
    const cpu = process.cpuUsage();
    const started = now();
    const records = await batch(frames, `readout: ${workers} worker(s)`);
    const seconds = nsToMs(now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const peakRss = rss.stop();
    const fps = frames / seconds;
    const run = {
      workers,
      frames,
      seconds,
      fps,
      rawMBPerS: (fps * rawBytes(geometry)) / MB,
      cpuMsPerFrame: (user + system) / 1000 / frames,
      stages: stageMeans(records),
      peakRssMB: peakRss / MB,
    };
    return { run, fitsBytes: records[0].bytes };
  } finally {
    await pool.close();
  }
}

/**
 * `count` frames through the pool, written by the workers as the server's are; as many lanes per
 * worker as it holds readouts, so that it never waits for the next task, each lane overwriting a
 * file of its own.
 */
async function processFrames(
  pool: ReadoutPool,
  dataDir: string,
  geometry: DetectorGeometry,
  options: ReadoutScalingOptions,
  count: number,
  onFrame: () => void,
): Promise<WrittenReadout[]> {
  const records: WrittenReadout[] = [];
  let next = 0;
  const lane = async (index: number): Promise<void> => {
    for (let frame = next++; frame < count; frame = next++) {
      records.push(await pool.submit(frameRequest(geometry, options, frame, join(dataDir, `lane${index}.fits`))));
      onFrame();
    }
  };
  await Promise.all(Array.from({ length: READOUTS_PER_THREAD * pool.threads }, (_, index) => lane(index)));
  return records;
}

/** A request as a camera builds it: simulated pixels, a small header. */
export function frameRequest(geometry: DetectorGeometry, options: ReadoutScalingOptions, seed: number, filename: string): ReadoutRequest {
  return {
    camera: 'bench',
    geometry,
    roi: fullRoi(geometry),
    simulation: { imageType: options.imageType, exposureTime: 0, seed },
    processing: { biasSubtraction: options.biasSubtraction, format: options.format },
    cards: [
      { key: 'IMAGETYP', value: options.imageType },
      { key: 'EXPTIME', value: fitsFloat(0), comment: 'exposure time, seconds' },
    ],
    filename,
    overwrite: true,
  };
}

function stageMeans(records: WrittenReadout[]): StageMeans {
  const mean = (pick: (record: WrittenReadout) => number): number => records.reduce((sum, record) => sum + pick(record), 0) / records.length;
  return {
    simulate: mean((r) => r.timings.simulateMs),
    deinterleave: mean((r) => r.timings.deinterleaveMs),
    overscan: mean((r) => r.timings.overscanMs),
    statsAndBin: mean((r) => r.timings.statsMs + r.timings.binMs),
    encode: mean((r) => r.timings.encodeMs),
    worker: mean((r) => r.timings.totalMs),
    write: mean((r) => r.timings.writeMs),
    flush: mean((r) => r.timings.flushMs),
  };
}

function rawBytes(geometry: DetectorGeometry): number {
  return rawPixelCount(geometry) * Uint16Array.BYTES_PER_ELEMENT;
}
