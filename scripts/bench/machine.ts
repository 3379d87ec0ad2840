/** The machine a bench ran on, for its report. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  platform: string;
  /** Soft limit on open files (`ulimit -n`); undefined where /proc/self/limits is missing. */
  openFilesLimit?: number;
}

export function machineInfo(): MachineInfo {
  const limit = openFilesLimit();
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: platform(),
    ...(limit === undefined ? {} : { openFilesLimit: limit }),
  };
}

/** From Linux's /proc/self/limits ("Max open files  <soft>  <hard>  files"). */
export function openFilesLimit(limits = readLimits()): number | undefined {
  const soft = /^Max open files\s+(\S+)/m.exec(limits ?? '')?.[1];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}
