/**
 * End-to-end helpers: the real server (startCameraServer) on a free loopback port with a fresh
 * data directory, real clients over TCP, and bounded polling of `get_status` (the protocol has no
 * events, so a state is reached by asking until it is; every wait here gives up after a deadline).
 */
import { PARAMETER_FILE_STEM } from '../../lib/app.js';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraServer, type CameraServerApp } from '../../lib/app.js';
import { AzcamClient } from '../../lib/client.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../lib/config.js';
import { LOCK_FILE } from '../../lib/storage/data-dir-lock.js';
import { isTemporaryName } from '../../lib/storage/image-store.js';
import type { ExposureStatus, ExposureState } from '../../lib/camera/exposure-run.js';
import { readFits, readPrimaryHeader, type CardValue, type ReadHdu } from '../support/read-fits.js';

/** How long any wait for a state may take before the test fails (well inside mocha's timeout). */
export const WAIT_MS = 20_000;

export function tempDir(prefix = 'azcam-e2e-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/**
 * Servers and clients started by a test, all closed by `cleanup()` (call it in afterEach):
 * clients first, then servers (stop() is idempotent), then the temp directories.
 */
export class E2E {
  readonly apps: CameraServerApp[] = [];
  /** Port and camera count of each app started here, to abort what a failed test left running. */
  readonly #cameras = new Map<CameraServerApp, { port: number; cameras: number }>();
  readonly clients: AzcamClient[] = [];
  readonly dirs: string[] = [];

  /** A fresh temp directory, removed by cleanup(). */
  dir(): string {
    const dir = tempDir();
    this.dirs.push(dir);
    return dir;
  }

  /** The real app on a free port; sta2k, one camera and one worker unless told otherwise. */
  async start(config: Partial<ServerConfig> = {}): Promise<{ app: CameraServerApp; port: number; dataDir: string }> {
    const dataDir = config.dataDir ?? this.dir();
    const app = await startCameraServer({ ...DEFAULT_CONFIG, port: 0, detector: 'sta2k', workers: 1, maxQueue: 4, ...config, dataDir });
    this.apps.push(app);
    this.#cameras.set(app, { port: app.port, cameras: config.cameras ?? 1 });
    return { app, port: app.port, dataDir };
  }

  async connect(port: number): Promise<AzcamClient> {
    const client = await AzcamClient.connect({ port, timeoutMs: WAIT_MS * 2 });
    this.clients.push(client);
    return client;
  }

  /**
   * A test that failed may leave a long exposure running, which stop() would wait for: abort
   * every camera's exposure first (nothing to do, and no harm, once the app has stopped).
   */
  async #abortAll(app: CameraServerApp): Promise<void> {
    const known = this.#cameras.get(app);
    if (!known) return;
    const client = await AzcamClient.connect({ port: known.port, timeoutMs: 5000 }).catch(() => undefined);
    if (!client) return;
    for (let n = 1; n <= known.cameras; n++) await client.raw(`${tool(n === 1 ? '' : `cam${n}`, 'exposure')}.abort`).catch(() => undefined);
    await client.close().catch(() => undefined);
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients.splice(0)) await client.close().catch(() => undefined);
    for (const app of this.apps.splice(0)) {
      await this.#abortAll(app);
      await app.stop();
    }
    this.#cameras.clear();
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** `exposure.get_status` of a camera ('' for camera 1, 'cam2' for camera 2, ...). */
export async function status(client: AzcamClient, camera = ''): Promise<ExposureStatus> {
  return (await client.command(`${tool(camera, 'exposure')}.get_status`)) as ExposureStatus;
}

/** `exposure` for camera 1, `cam2.exposure` for camera 2. */
export function tool(camera: string, name: string): string {
  return camera ? `${camera}.${name}` : name;
}

/** Polls get_status until `until` holds (bounded by WAIT_MS); returns that status. */
export async function pollStatus(client: AzcamClient, until: (status: ExposureStatus) => boolean, camera = ''): Promise<ExposureStatus> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const current = await status(client, camera);
    if (until(current)) return current;
    if (Date.now() > deadline) throw new Error(`state not reached in ${WAIT_MS} ms; last status ${JSON.stringify(current)}`);
  }
}

/** Polls until the camera's state is one of `states`. */
export function waitForState(client: AzcamClient, states: ExposureState | ExposureState[], camera = ''): Promise<ExposureStatus> {
  const wanted = ([] as ExposureState[]).concat(states);
  return pollStatus(client, (s) => wanted.includes(s.exposurestate), camera);
}

/** Polls until the camera is idle again after the exposure writing `filename`. */
export function waitForIdle(client: AzcamClient, filename: string, camera = ''): Promise<ExposureStatus> {
  return pollStatus(client, (s) => s.exposurestate === 'NONE' && s.filename === filename, camera);
}

/** The sorted names of the images in a folder (temp files included: they start with a dot), not the server's parameter file nor its lock. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.includes(PARAMETER_FILE_STEM) && name !== LOCK_FILE)
    .sort();
}

/** Temp files left behind by an image write (`.<name>.<hex>.tmp`). */
export function tempFilesIn(dir: string): string[] {
  return filesIn(dir).filter(isTemporaryName);
}

/** Every HDU of a FITS file, read by the specs' own reader (independent of lib/readout/fits.ts). */
export function readFitsFile(path: string): ReadHdu[] {
  return readFits(new Uint8Array(readFileSync(path)));
}

/** The primary header's cards (keyword → value: strings unquoted and trimmed, numbers, booleans). */
export function primaryHeader(path: string): Map<string, CardValue> {
  return readPrimaryHeader(readFileSync(path));
}

/** The median of some numbers (sorts a copy). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
