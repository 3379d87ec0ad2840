/**
 * The server a scenario talks to: a fresh in-process one (port 0, a temporary data directory
 * that is deleted when it stops), or a running one at --host/--port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraServer, type ReadoutPoolFactory } from '../../lib/app.js';
import { DEFAULT_CONFIG, mergeConfig, validateConfig, type ConfigInput } from '../../lib/config.js';
import { ReadoutPool } from '../../lib/readout/pool.js';
import { freePort } from './free-port.js';

export interface ServerTarget {
  host: string;
  port: number;
  /** The web port (status pages), where the server has one. */
  webPort?: number;
  stop(): Promise<void>;
}

/** What a scenario asks of its server. */
export interface ServerSettings {
  cameras: number;
  /** Readouts on the server's main thread instead of the pool. */
  inline: boolean;
  maxQueue?: number;
}

export interface ServerSource {
  readonly inProcess: boolean;
  /** Undefined when this source cannot provide such a server (a running one cannot go inline). */
  open(settings: ServerSettings): Promise<ServerTarget | undefined>;
}

/** Starts an in-process server with `base` (e.g. workers, detector) and the scenario's settings. */
export function localServers(base: ConfigInput = {}): ServerSource {
  return { inProcess: true, open: (settings) => startLocalServer({ ...base, ...settings }) };
}

/** The server at host:port, as it is (it is never stopped); it is taken to run with the pool. */
export function remoteServer(host: string, port: number): ServerSource {
  const target: ServerTarget = { host, port, webPort: port + 1, stop: async () => undefined };
  return { inProcess: false, open: async (settings) => (settings.inline ? undefined : target) };
}

/** The server's readouts processed on its main thread: the comparison that shows what the pool is for. */
const inlinePool: ReadoutPoolFactory = (root, config) => new ReadoutPool({ root, maxQueue: config.maxQueue, inline: true });

export async function startLocalServer({ inline, ...settings }: ConfigInput & { inline: boolean }): Promise<ServerTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'azcam-bench-'));
  const removeData = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
  try {
    // The web port on a free port of its own: command port + 1 may be any other socket's.
    const config = validateConfig(mergeConfig(DEFAULT_CONFIG, {}, { ...settings, port: 0, webPort: await freePort(), dataDir }));
    const app = await startCameraServer(config, inline ? inlinePool : undefined);
    return { host: config.host, port: app.port, webPort: app.webPort, stop: () => app.stop().finally(removeData) };
  } catch (error) {
    await removeData();
    throw error;
  }
}

/** Runs `use` on a server from `source`, stopped afterwards; undefined if the source has none. */
export async function withServer<T>(source: ServerSource, settings: ServerSettings, use: (target: ServerTarget) => Promise<T>): Promise<T | undefined> {
  const target = await source.open(settings);
  if (!target) return undefined;
  try {
    return await use(target);
  } finally {
    await target.stop();
  }
}
