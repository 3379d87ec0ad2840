import { mkdir } from 'node:fs/promises';
import type { ServerConfig } from './config.js';
import { ToolRegistry } from './dispatch/registry.js';
import { ConfigError } from './errors.js';
import { Camera, registerCamera } from './instrument/camera.js';
import { log } from './log.js';
import { isPresetName, presetGeometry, PRESETS } from './readout/geometry.js';
import { ReadoutPool } from './readout/pool.js';
import { PoolReadout } from './readout/pool-readout.js';
import { CommandServer } from './server/command-server.js';
import { ImageStore } from './storage/image-store.js';

/** A running camera server: the command server, its simulated cameras, and the readout pool. */
export interface CameraServerApp {
  readonly port: number;
  /** Graceful: running commands finish and reply, then the pool's running readouts, then exit. */
  stop(): Promise<void>;
  /** Resolves when stopped for any reason (e.g. a client's allowed `exit`). */
  readonly stopped: Promise<void>;
}

export async function startCameraServer(config: ServerConfig): Promise<CameraServerApp> {
  if (!isPresetName(config.detector)) {
    throw new ConfigError(`unknown detector: ${config.detector} (presets: ${Object.keys(PRESETS).join(', ')})`);
  }
  const store = new ImageStore(config.dataDir);
  await mkdir(store.root, { recursive: true });
  const pool = new ReadoutPool({ threads: config.workers, maxQueue: config.maxQueue, inline: config.inline });
  const server = new CommandServer(cameraTools(config, pool, store), {
    port: config.port,
    host: config.host,
    welcome: config.welcome,
    allowExit: config.allowExit,
    allow: config.allow,
    maxLine: config.maxLine,
    idleTimeoutMs: config.idleTimeout * 1000,
    onExit: () => void stop(),
  });
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= server.stop().then(() => pool.close()).then(markStopped));
  try {
    const port = await server.start();
    log.info('camera server ready', { detector: config.detector, cameras: config.cameras, workers: pool.threads, inline: pool.inline, dataDir: store.root });
    return { port, stop, stopped };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/** Camera 1 answers `exposure.*`, `tempcon.*`, ...; camera N answers `camN.exposure.*`, .... */
function cameraTools(config: ServerConfig, pool: ReadoutPool, store: ImageStore): ToolRegistry {
  const registry = new ToolRegistry();
  const readout = new PoolReadout(pool, store);
  for (let n = 1; n <= config.cameras; n++) {
    const camera = new Camera({
      detector: presetGeometry(config.detector),
      readout,
      name: `cam${n}`,
      imageFolder: store.root,
      resolveImageFolder: (folder) => store.resolveFolder(folder),
      seed: n * 100_003,
    });
    registerCamera(registry, camera, n === 1 ? '' : `cam${n}`);
  }
  return registry;
}
