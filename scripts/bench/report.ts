/** The bench's tables, one per scenario, each with its target from the issue checked. */
import type { LatencyResult } from './latency.js';
import type { MachineInfo } from './machine.js';
import type { ManyClientsResult } from './many-clients.js';
import type { ReadoutRun, ReadoutScalingResult } from './readout-scaling.js';
import { count, fixed, formatTable } from './table.js';
import type { ThroughputResult } from './throughput.js';
import type { CoreModelRow } from './core-model.js';

export function machineLine(machine: MachineInfo): string {
  const limit = machine.openFilesLimit === undefined ? 'unknown' : String(machine.openFilesLimit);
  return `Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGB} GB, node ${machine.node}, ${machine.platform}, ulimit -n ${limit}\n`;
}

/** "target: <what> <op> <limit>: <value>, met|MISSED" */
export function targetNote(what: string, value: number, op: '<' | '<=' | '>=', limit: number, digits = 2): string {
  const met = op === '<' ? value < limit : op === '<=' ? value <= limit : value >= limit;
  return `target: ${what} ${op} ${limit}: ${fixed(value, digits)}, ${met ? 'met' : 'MISSED'}`;
}

export function latencyTable(result: LatencyResult, warmupS: number, inProcess: boolean): string {
  const pool = result.cases.find((c) => c.name === 'loaded, pool');
  return formatTable({
    title:
      `Light-command latency: ${result.command}, ping-pong paced at one per ${result.probeIntervalMs} ms from ${result.probes} client(s), ` +
      `${result.seconds} s per case after ${warmupS} s warm-up; load: ${result.loadClients} clients, one camera each, ` +
      `back-to-back \`expose 0 ${result.load.imageType}\` (bias ${result.load.biasSubtraction}, ${result.load.format})`,
    columns: ['case', 'samples', 'p50 ms', 'p99 ms', 'max ms', 'p99/idle', 'exposures/s', 'busy', 'in progress', 'errors', ...(inProcess ? ['peak RSS MB'] : [])],
    rows: result.cases.map((c) => [
      c.name,
      count(c.latency.count),
      fixed(c.latency.p50Ms, 3),
      fixed(c.latency.p99Ms, 3),
      fixed(c.latency.maxMs, 1),
      fixed(c.p99Ratio, 2),
      c.load ? fixed(c.load.exposures / result.seconds, 2) : '-',
      c.load ? count(c.load.busy) : '-',
      c.load ? count(c.load.inProgress) : '-',
      count(c.errors + (c.load?.errors ?? 0)),
      ...(inProcess ? [fixed(c.peakRssMB, 0)] : []),
    ]),
    notes: [
      ...(pool ? [targetNote('loaded/idle p99 with the pool', pool.p99Ratio, '<=', 1.5), targetNote('loaded max ms with the pool', pool.latency.maxMs, '<', 5, 1)] : []),
      ...result.cases.flatMap((c) => (c.load?.firstError ? [`${c.name}: first exposure error: ${c.load.firstError}`] : [])),
      ...result.skipped.map((why) => `skipped: ${why}`),
      'samples include the scheduled sends a probe missed while waiting (coordinated omission corrected)',
    ],
  });
}

export function throughputTable(result: ThroughputResult, warmupS: number): string {
  const modes = [
    ['pipelined', 'pipelined'],
    ['one at a time', 'unpipelined'],
    ['ping-pong', 'pingPong'],
  ] as const;
  const servers = [
    ['ours', result.ours],
    ['bare Node', result.bare],
  ] as const;
  const rows = modes.flatMap(([mode, key]) => servers.map(([server, rates]) => [mode, server, rates[key]] as const));
  const { ours, bare } = result;
  return formatTable({
    title: `Light-command throughput: ${result.command}, ${fixed(ours.pipelined.seconds, 0)} s per mode after ${warmupS} s warm-up, load from a process of its own`,
    columns: ['mode', 'server', 'connections', 'in flight each', 'commands', 'commands/s', 'server CPU µs/command', 'p50 ms', 'p99 ms', 'errors', 'generator CPU'],
    rows: rows.map(([mode, server, rate]) => [
      mode,
      server,
      String(rate.connections),
      String(rate.depth),
      count(rate.commands),
      count(rate.perSecond),
      rate.serverCpuUs === undefined ? '-' : fixed(rate.serverCpuUs, 2),
      fixed(rate.latency.p50Ms, 3),
      fixed(rate.latency.p99Ms, 3),
      count(rate.errors),
      `${fixed(100 * rate.generatorCpu, 0)}%`,
    ]),
    notes: [
      `bare Node = a Node line server in the same process answering every line with our reply (${JSON.stringify(result.reply)}) and doing nothing else`,
      `ours / bare Node, commands/s: ${modes.map(([mode, key]) => `${mode} ${fixed(ours[key].perSecond / bare[key].perSecond, 2)}x`).join(', ')}`,
      targetNote(`pipelined commands/s over ${ours.pipelined.connections} connections`, ours.pipelined.perSecond, '>=', 500_000, 0),
      targetNote(`one-at-a-time commands/s over ${ours.unpipelined.connections} connections`, ours.unpipelined.perSecond, '>=', 150_000, 0),
      targetNote('ping-pong commands/s', ours.pingPong.perSecond, '>=', 15_000, 0),
      ...rows.flatMap(([mode, server, rate]) => (rate.firstError ? [`${mode}, ${server}: first error: ${rate.firstError}`] : [])),
    ],
  });
}

export function readoutTable(result: ReadoutScalingResult): string {
  const single = result.runs.find((run) => run.workers === 1);
  const widest = result.runs[result.runs.length - 1];
  return formatTable({
    title:
      `Readout pipeline (ReadoutPool, no protocol): ${result.detector}, ${result.amps} amps, ` +
      `${fixed(result.rawMBPerFrame)} MB raw -> ${fixed(result.fitsMBPerFrame)} MB FITS per frame, ` +
      `bias ${result.biasSubtraction}, ${result.format}; stage columns are ms per frame`,
    columns: ['workers', 'frames', 'fps', 'raw MB/s', 'efficiency', 'machine eff.', 'memory eff.', 'simulate', 'deinterleave', 'overscan', 'stats+bin', 'encode', 'worker', 'write', 'flush', 'CPU/frame', 'peak RSS MB'],
    rows: result.runs.map((run) => [
      String(run.workers),
      String(run.frames),
      fixed(run.fps, 2),
      fixed(run.rawMBPerS, 0),
      fixed(run.efficiency, 2),
      fixed(run.machineEfficiency, 2),
      fixed(run.memoryEfficiency, 2),
      fixed(run.stages.simulate),
      fixed(run.stages.deinterleave),
      fixed(run.stages.overscan),
      fixed(run.stages.statsAndBin),
      fixed(run.stages.encode),
      fixed(run.stages.worker),
      fixed(run.stages.write),
      fixed(run.stages.flush),
      fixed(run.cpuMsPerFrame),
      fixed(run.peakRssMB, 0),
    ]),
    notes: [
      ...(single ? [targetNote('CPU ms per frame on one worker (simulation, encoding and write included)', single.cpuMsPerFrame, '<=', 60, 1)] : []),
      ...(widest.workers > 1 ? [targetNote(`scaling efficiency at ${widest.workers} workers`, widest.efficiency, '>=', 0.9)] : []),
      ...numpyNotes(result, widest),
      diskNote(result, widest),
      'efficiency = fps(w) / (w * fps(1)); machine eff. and memory eff. = the same for a pure ALU loop and for a 36 MB memory copy on w threads, run right after (median of three): what code of each kind gets here now; a readout is between the two',
      'worker = the pipeline on its thread (the stages plus header/bookkeeping); write = ImageStore.write, flushed; flush = the flush of the file, its rename and the flush of its folder, while the thread processes its next frames; CPU/frame = process CPU (all threads) / frames; RSS includes the worker threads',
      'a whole-detector unbinned MEF readout is one fused pass: its de-interleave, statistics and encoding are all in the encode column',
    ],
  });
}

/** The readout on 4, 16 and 64 cores on paper (core-model.ts); empty without a model (no one-worker run). */
export function coreModelTable(result: ReadoutScalingResult, model: CoreModelRow[] | undefined): string {
  if (!model) return '';
  const widest = result.runs[result.runs.length - 1];
  return formatTable({
    title: `Readout on N cores, on paper: ${result.detector}, from this run's 1-worker rate and its efficiency at ${widest.workers} workers`,
    columns: ['cores', 'frames/s', 'raw in MB/s', 'disk out MB/s', 'frame buffers MB'],
    rows: model.map((row) => [String(row.cores), fixed(row.fps, 1), fixed(row.rawMBPerS, 0), fixed(row.diskMBPerS, 0), fixed(row.memoryMB, 0)]),
    notes: [
      `per core: ${fixed(model[0].fps / model[0].cores, 2)} frames/s; per thread: the raw stream and the file being made, and the files being flushed, in the page cache (${fixed(model[0].memoryMB / model[0].cores, 0)} MB)`,
      'disk out is what the disk must sustain, flushed; the model assumes memory bandwidth scales with the cores (it does not on one socket)',
    ],
  });
}

/** The disk's own rate beside what our widest run wrote: near 100%, the disk sets the frame rate. */
function diskNote(result: ReadoutScalingResult, widest: ReadoutRun): string {
  const written = widest.fps * result.fitsMBPerFrame;
  return (
    `disk: ${fixed(result.disk.MBPerS, 0)} MB/s written by the image store in the data folder (FITS-sized files, ${result.disk.writers} at a time, flushed, right after); ` +
    `the readouts wrote ${fixed(written, 0)} MB/s at ${widest.workers} worker(s), ${fixed((100 * written) / result.disk.MBPerS, 0)}% of it`
  );
}

/** The numpy yardstick (no simulation, no file) beside our widest run. */
function numpyNotes(result: ReadoutScalingResult, widest: ReadoutRun): string[] {
  if (result.numpy.length === 0) return ['numpy reference: skipped (no numpy for /usr/bin/python3)'];
  const same = result.numpy.find((run) => run.threads === widest.workers) ?? result.numpy[result.numpy.length - 1];
  return [
    `numpy reference (de-interleave, overscan, stats, big-endian encode; no simulation, no file): ` +
      result.numpy.map((run) => `${run.threads} thread(s) ${fixed(run.fps, 2)} fps, ${fixed(run.cpuMsPerFrame)} ms CPU/frame`).join('; '),
    targetNote(`fps at ${widest.workers} workers / numpy at ${same.threads} threads`, widest.fps / same.fps, '>=', 2),
  ];
}

export function manyClientsTable(result: ManyClientsResult, descriptorsNeeded: number, openFilesLimit: number | undefined): string {
  const lowLimit = openFilesLimit !== undefined && openFilesLimit < descriptorsNeeded;
  return formatTable({
    title: `Many clients: ${result.clients} connections, each sending echo <client>-<seq> every ${result.intervalMs} ms for ${fixed(result.seconds)} s (connected in ${fixed(result.connectMs, 0)} ms)`,
    columns: ['clients', 'sent', 'received', 'missing', 'out of order', 'errors', 'p50 ms', 'p99 ms', 'max ms'],
    rows: [
      [
        String(result.clients),
        count(result.sent),
        count(result.received),
        count(result.missing),
        count(result.outOfOrder),
        count(result.errors),
        fixed(result.latency.p50Ms, 3),
        fixed(result.latency.p99Ms, 3),
        fixed(result.latency.maxMs, 1),
      ],
    ],
    notes: [
      `every reply arrived in order: ${result.received === result.sent && result.outOfOrder === 0 && result.errors === 0 ? 'yes' : 'NO'}`,
      ...(result.firstError ? [`first error: ${result.firstError}`] : []),
      ...(lowLimit ? [`WARNING: ulimit -n is ${openFilesLimit}, below the ${descriptorsNeeded} descriptors this run needs; raise it (ulimit -n ${descriptorsNeeded})`] : []),
    ],
  });
}
