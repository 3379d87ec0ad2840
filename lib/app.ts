import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerConfig } from './config.js';
import { ToolRegistry } from './dispatch/registry.js';
import { ConfigError } from './errors.js';
import { Camera, registerCamera } from './camera/camera.js';
import { ImageNames } from './camera/image-names.js';
import { stopGracefully } from './graceful-stop.js';
import { log } from './log.js';
import { isPresetName, presetGeometry, PRESETS } from './readout/geometry.js';
import { ReadoutPool } from './readout/pool.js';
import { PoolReadout } from './readout/pool-readout.js';
import { CommandServer } from './server/command-server.js';
import { connectionsWithin, openFileLimit, RESERVED_DESCRIPTORS } from './server/descriptors.js';
import { LOCK_FILE, lockDataDir, type DataDirLock } from './storage/data-dir-lock.js';
import { ImageStore } from './storage/image-store.js';
import { ParameterFile } from './storage/parameter-file.js';
import { LastImages } from './web/last-images.js';
import { ServerMetrics } from './web/metrics.js';
import { CameraReader } from './web/camera-reader.js';
import { startWebServer } from './web/web-port.js';
import type { WebServer } from './web/web-server.js';

/** A running camera server: the command server, its simulated cameras, and the readout pool. */
export interface CameraServerApp {
  readonly port: number;
  /** The web API, status page and metrics port; undefined when there is none (`--web-port 0`, or the default port was taken). */
  readonly webPort: number | undefined;
  /** Graceful: running commands finish and reply, then the pool's running readouts, then exit. */
  stop(): Promise<void>;
  /** Resolves when stopped for any reason (e.g. a client's allowed `exit`). */
  readonly stopped: Promise<void>;
}

/** Builds the app's readout pool for the data directory `root`. */
export type ReadoutPoolFactory = (root: string, config: ServerConfig) => ReadoutPool;

const workerPool: ReadoutPoolFactory = (root, config) =>
  new ReadoutPool({ root, threads: config.workers, maxQueue: config.maxQueue, idleThreadMs: config.threadIdle * 1000 });

/** Settings that are not the operator's to choose (tests set them). */
export interface AppTuning {
  /** How often the status pages' feed looks for changes; default 500 ms. */
  feedIntervalMs?: number;
}

/** The benchmark passes its own `createPool` to compare readouts on the main thread. */
export async function startCameraServer(config: ServerConfig, createPool = workerPool, tuning: AppTuning = {}): Promise<CameraServerApp> {
  if (!isPresetName(config.detector)) {
    throw new ConfigError(`unknown detector: ${config.detector} (presets: ${Object.keys(PRESETS).join(', ')})`);
  }
  const store = new ImageStore(config.dataDir);
  await mkdir(store.root, { recursive: true });
  const lock = await lockDataDir(store.root);
  try {
    return await startOnDataDir(config, store, lock, createPool, tuning);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Everything in the data directory is this server's: it holds the lock, released when it stops. */
async function startOnDataDir(config: ServerConfig, store: ImageStore, lock: DataDirLock, createPool: ReadoutPoolFactory, tuning: AppTuning): Promise<CameraServerApp> {
  await sweepTemporaryFiles(store);
  if (!(await store.canFlushFolders())) log.warn('the data directory cannot flush a folder: an image name may not survive a power failure', { dataDir: store.root });
  const pool = createPool(store.root, config);
  const metrics = new ServerMetrics(pool);
  const lastImages = new LastImages();
  const readout = new PoolReadout(pool, (event) => {
    metrics.observeReadout(event);
    lastImages.record(event);
  });
  const cameras = createCameras(config, readout, store);
  await Promise.all(cameras.map((camera) => camera.restoreParameters()));
  const tools = registerCameras(cameras);
  const server = new CommandServer(tools, {
    port: config.port,
    host: config.host,
    welcome: config.welcome,
    allowExit: config.allowExit,
    allow: config.allow,
    maxLine: config.maxLine,
    idleTimeoutMs: config.idleTimeout * 1000,
    maxConnections: connectionCap(config.maxConnections),
    onExit: () => void stop(),
    observer: metrics.observeCommand,
    onConnection: metrics.observeConnection,
  });
  const cameraPrefixes = cameras.map((_, index) => cameraPrefix(index));
  metrics.watchCameras(cameraPrefixes.map((prefix) => new CameraReader(server.dispatcher, prefix)));
  let web: WebServer | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= stopGracefully({
      stopServer: async () => void (await Promise.all([server.stop(), web?.stop()])),
      cameras,
      readoutsSettled: () => readout.settled(),
      closePool: () => pool.close(),
      timeoutMs: config.stopTimeout * 1000,
    })
      .finally(lock.release)
      .then(markStopped));
  try {
    const port = await server.start();
    const webOptions = { dispatcher: server.dispatcher, tools, host: config.host, allow: config.allow, webHosts: config.webHosts, cameraPrefixes, metrics, lastImages, ...tuning };
    web = await startWebServer(config.webPort, port, webOptions).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    log.info('camera server ready', { detector: config.detector, cameras: config.cameras, workers: pool.threads, inline: pool.inline, dataDir: store.root });
    return { port, webPort: web?.port, stop, stopped };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/** --max-connections, lowered (and logged) where the open-file limit leaves no room for them beside the reserve. */
function connectionCap(requested: number): number {
  const limit = openFileLimit();
  const cap = connectionsWithin(requested, limit);
  if (cap < requested) log.warn('fewer connections than --max-connections: the open-file limit is low', { requested, cap, openFileLimit: limit, reserved: RESERVED_DESCRIPTORS });
  return cap;
}

/** Temporary files a killed server left behind are ours to remove (we hold the lock) before anyone writes again. */
async function sweepTemporaryFiles(store: ImageStore): Promise<void> {
  const removed = await store.sweepTemporaryFiles(LOCK_FILE);
  if (removed.length) log.warn('removed temporary files left by an interrupted write', { count: removed.length, files: removed });
}

/** Camera 1 keeps its parameters in azcam-parameters.json in the data directory, camera N in azcam-parameters-camN.json. */
export const PARAMETER_FILE_STEM = 'azcam-parameters';

/** Camera 1 names its images itl.NNNN.fits, camera N camN.NNNN.fits. */
function createCameras(config: ServerConfig, readout: PoolReadout, store: ImageStore): Camera[] {
  // A client may still give two cameras the same root: a name is claimed across cameras when its exposure starts.
  const imageNames = new ImageNames();
  return Array.from({ length: config.cameras }, (_, index) => {
    const n = index + 1;
    return new Camera({
      detector: presetGeometry(config.detector),
      readout,
      name: `cam${n}`,
      imageFolder: store.root,
      resolveImageFolder: (folder, subject) => store.resolveFolder(folder, subject),
      // All cameras share the data directory: each needs its own file names, or two cameras
      // exposing at once would both claim itl.0001.fits and one would lose its image.
      parameters: n === 1 ? {} : { imageroot: `cam${n}.` },
      seed: n * 100_003,
      imageNames,
      parameterFile: new ParameterFile(join(store.root, `${PARAMETER_FILE_STEM}${n === 1 ? '' : `-cam${n}`}.json`)),
    });
  });
}

/** Camera 1 answers `exposure.*`, `tempcon.*`, ...; camera N answers `camN.exposure.*`, .... */
function registerCameras(cameras: readonly Camera[]): ToolRegistry {
  const registry = new ToolRegistry();
  cameras.forEach((camera, index) => registerCamera(registry, camera, cameraPrefix(index)));
  return registry;
}

function cameraPrefix(index: number): string {
  return index === 0 ? '' : `cam${index + 1}`;
}
