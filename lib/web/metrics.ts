/**
 * The server's Prometheus metrics (`GET /metrics`). Names follow Prometheus conventions: an
 * `azcam_` prefix, `_total` for counters, base units (`_seconds`, `_bytes`, `_celsius`).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandOutcome } from '../dispatch/dispatcher.js';
import type { ReadoutEvent } from '../readout/pool-readout.js';
import type { ConnectionEvent } from '../server/command-server.js';
import type { CameraReader } from './camera-reader.js';
import { CommandDurations } from './command-durations.js';
import { INTERNAL_SESSION } from './internal-session.js';

/** What the metrics read from the readout pool when scraped. */
export interface PoolGauges {
  /** Readout threads at most. */
  readonly threads: number;
  /** Readout threads running or starting now (idle ones end after --thread-idle). */
  readonly liveThreads: number;
  /** Readout threads that have taken a readout and not yet finished it. */
  readonly busyThreads: number;
  /** Readouts waiting for a thread, one being started for them included. */
  readonly queueSize: number;
}

/** From 1 ms to 5 s: one stage of one readout. */
const STAGE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class ServerMetrics {
  readonly registry = new Registry();
  /**
   * Commands counted here, by tool, command and status, and handed to prom-client when scraped:
   * prom-client hashes and checks the labels on every count, a few per cent of a light command.
   */
  readonly #commandCounts = new Map<string, Map<string, Record<CommandOutcome['status'], number>>>();
  readonly #commandSeconds = new CommandDurations();
  readonly #connectionsOpen: Gauge;
  readonly #connectionsRefused: Counter;
  readonly #readouts: Counter<'result'>;
  readonly #stageSeconds: Histogram<'stage'>;
  readonly #imagesWritten: Counter;
  readonly #bytesWritten: Counter;

  constructor(pool: PoolGauges) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const commandCounts = this.#commandCounts;
    new Counter({
      name: 'azcam_commands_total',
      help: 'Commands run for clients (socket and web API), by tool, command and reply status',
      labelNames: ['tool', 'command', 'status'],
      registers,
      collect() {
        this.reset(); // to the totals, which only grow
        for (const [tool, commands] of commandCounts) {
          for (const [command, counts] of commands) {
            for (const [status, count] of Object.entries(counts)) if (count > 0) this.inc({ tool, command, status }, count);
          }
        }
      },
    });
    this.registry.registerMetric(this.#commandSeconds.asMetric());
    this.#connectionsOpen = new Gauge({ name: 'azcam_connections_open', help: 'Command socket connections open', registers });
    this.#connectionsRefused = new Counter({
      name: 'azcam_connections_refused_total',
      help: 'Command socket connections refused (not in --allow, too many connections, or the server stopping)',
      registers,
    });
    this.#readouts = new Counter({ name: 'azcam_readouts_total', help: 'Readouts by result: written, aborted, failed', labelNames: ['result'], registers });
    this.#stageSeconds = new Histogram({
      name: 'azcam_readout_stage_duration_seconds',
      help: 'Time a written readout spent in each stage on its worker (simulate, deinterleave, overscan, bin, stats, encode, preview, write, flush)',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.#imagesWritten = new Counter({ name: 'azcam_images_written_total', help: 'Image files written', registers });
    this.#bytesWritten = new Counter({ name: 'azcam_image_bytes_written_total', help: 'Bytes of image files written', registers });
    new Gauge({ name: 'azcam_readout_pool_threads', help: 'Readout worker threads at most (--workers)', registers, collect() { this.set(pool.threads); } });
    new Gauge({ name: 'azcam_readout_pool_live_threads', help: 'Readout worker threads running or starting now (idle ones end after --thread-idle)', registers, collect() { this.set(pool.liveThreads); } });
    new Gauge({ name: 'azcam_readout_pool_busy_threads', help: 'Readout worker threads that have taken a readout (processing it, flushing it, or waiting their turn)', registers, collect() { this.set(pool.busyThreads); } });
    new Gauge({ name: 'azcam_readout_queue_depth', help: 'Readouts waiting for a worker thread (queued, or for a thread being started or busy to take them)', registers, collect() { this.set(pool.queueSize); } });
  }

  /** The dispatcher's observer: counts clients' commands (not the server's own observers'). */
  readonly observeCommand = (outcome: CommandOutcome): void => {
    if (outcome.session === INTERNAL_SESSION) return;
    this.#countsOf(outcome.tool, outcome.command)[outcome.status]++;
    this.#commandSeconds.observe(outcome.heavy ? 'heavy' : 'light', outcome.seconds);
  };

  #countsOf(tool: string, command: string): Record<CommandOutcome['status'], number> {
    let commands = this.#commandCounts.get(tool);
    if (!commands) this.#commandCounts.set(tool, (commands = new Map()));
    let counts = commands.get(command);
    if (!counts) commands.set(command, (counts = { OK: 0, WARNING: 0, ERROR: 0 }));
    return counts;
  }

  readonly observeConnection = (event: ConnectionEvent): void => {
    if (event === 'opened') this.#connectionsOpen.inc();
    else if (event === 'closed') this.#connectionsOpen.dec();
    else this.#connectionsRefused.inc();
  };

  /** The readout port's observer. */
  readonly observeReadout = (event: ReadoutEvent): void => {
    this.#readouts.inc({ result: event.result });
    if (event.result !== 'written') return;
    const { timings, bytes } = event.written;
    for (const [key, ms] of Object.entries(timings)) {
      if (key !== 'totalMs') this.#stageSeconds.observe({ stage: key.replace(/Ms$/, '') }, ms / 1000);
    }
    this.#imagesWritten.inc();
    this.#bytesWritten.inc(bytes);
  };

  /** Temperatures and exposure state, asked of each camera when scraped. */
  watchCameras(cameras: readonly CameraReader[]): void {
    const registers = [this.registry];
    new Gauge({
      name: 'azcam_temperature_celsius',
      help: 'Temperatures: sensor "ccd", "base" (dewar), "ambient", and "setpoint" (CCD control)',
      labelNames: ['camera', 'sensor'],
      registers,
      async collect() {
        for (const camera of cameras) {
          for (const [sensor, value] of Object.entries(await camera.temperatures())) this.set({ camera: camera.name, sensor }, value);
        }
      },
    });
    new Gauge({
      name: 'azcam_exposure_state',
      help: "Exposure flag as get_exposureflag gives it: NONE 0, EXPOSING 1, ABORT 2, PAUSED 6, READOUT 7, SETUP 8, WRITING 9, ERROR 11",
      labelNames: ['camera'],
      registers,
      async collect() {
        for (const camera of cameras) {
          const flag = await camera.ask('exposure', 'get_exposureflag');
          this.set({ camera: camera.name }, Array.isArray(flag) ? Number(flag[0]) : Number.NaN);
        }
      },
    });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
