/**
 * Scenario 1: light-command latency (paced ping-pong from a process of its own, see probe.ts)
 * with the server idle, then while clients run back-to-back exposures: with the readouts on the worker pool, the same with
 * ten status pages open on the web port, and with the readouts on the main thread.
 */
import { countsBetween, prepareCameras, startExposureLoad, type LoadCounts, type LoadSettings } from './exposure-load.js';
import { runProbeProcess } from './probe.js';
import { sampleRss } from './rss.js';
import { timedPhase, type Progress } from './progress.js';
import { sleepUntil, windowFromNow } from './clock.js';
import type { LatencySummary } from './recorder.js';
import { openStatusPages } from './status-pages.js';
import { withClients } from './clients.js';
import { withServer, type ServerSource, type ServerTarget } from './target.js';

export interface LatencyOptions extends LoadSettings {
  /** The light command, e.g. `tempcon.get_temperatures`. */
  command: string;
  /** Ping-pong clients. */
  probes: number;
  /** Each probe's schedule: one command per interval. */
  probeIntervalMs: number;
  /** Exposing clients in the loaded cases, one camera each. */
  loadClients: number;
  warmupMs: number;
  durationMs: number;
}

export type LatencyCaseName = 'idle' | 'loaded, pool' | 'loaded, pool, 10 status pages' | 'loaded, inline';

/** Status pages open in the case that has them. */
const STATUS_PAGES = 10;

export interface LatencyCase {
  name: LatencyCaseName;
  latency: LatencySummary;
  /** Non-OK replies to the light command. */
  errors: number;
  /** The exposures' outcomes inside the measured window (loaded cases). */
  load?: LoadCounts;
  /** p99 over the idle case's p99. */
  p99Ratio: number;
  /** This process's peak RSS during the case (an in-process server's, with its workers and queued readouts). */
  peakRssMB: number;
  /** Live-feed messages the open status pages received during the case. */
  pageMessages?: number;
}

export interface LatencyResult {
  command: string;
  probes: number;
  probeIntervalMs: number;
  loadClients: number;
  load: LoadSettings;
  seconds: number;
  cases: LatencyCase[];
  /** Why a case is missing (a running server cannot be switched to inline). */
  skipped: string[];
}

export async function runLatencyScenario(source: ServerSource, options: LatencyOptions, progress: Progress): Promise<LatencyResult> {
  const cameras = Math.max(1, options.loadClients);
  // Each camera has at most one readout in flight, so a queue as long as the cameras never refuses one.
  const settings = { cameras, maxQueue: cameras };
  const cases: Omit<LatencyCase, 'p99Ratio'>[] = [];
  const skipped: string[] = [];
  await withServer(source, { ...settings, inline: false }, async (target) => {
    cases.push(await measureCase('idle', target, options, 0, progress));
    cases.push(await measureCase('loaded, pool', target, options, options.loadClients, progress));
    if (target.webPort === undefined) skipped.push('loaded, pool, 10 status pages: the server has no web port');
    else cases.push(await withStatusPages(target.host, target.webPort, () => measureCase('loaded, pool, 10 status pages', target, options, options.loadClients, progress)));
  });
  const inline = await withServer(source, { ...settings, inline: true }, (target) =>
    measureCase('loaded, inline', target, options, options.loadClients, progress),
  );
  if (inline) cases.push(inline);
  else skipped.push('loaded, inline: needs an in-process server (not with --host/--port)');
  const idleP99 = cases[0].latency.p99Ms;
  return {
    command: options.command,
    probes: options.probes,
    probeIntervalMs: options.probeIntervalMs,
    loadClients: options.loadClients,
    load: { imageType: options.imageType, biasSubtraction: options.biasSubtraction, format: options.format },
    seconds: options.durationMs / 1000,
    cases: cases.map((c) => ({ ...c, p99Ratio: c.latency.p99Ms / idleP99 })),
    skipped,
  };
}

async function withStatusPages(host: string, webPort: number, measure: () => Promise<Omit<LatencyCase, 'p99Ratio'>>): Promise<Omit<LatencyCase, 'p99Ratio'>> {
  const pages = await openStatusPages(host, webPort, STATUS_PAGES);
  try {
    return { ...(await measure()), pageMessages: pages.messages };
  } finally {
    pages.close();
  }
}

async function measureCase(
  name: LatencyCaseName,
  target: ServerTarget,
  options: LatencyOptions,
  loadClients: number,
  progress: Progress,
): Promise<Omit<LatencyCase, 'p99Ratio'>> {
  return withClients(target, loadClients, async (exposers) => {
    await prepareCameras(exposers, options);
    const load = startExposureLoad(exposers, options);
    try {
      // The probes' process computes the same window from its start, a moment after this one.
      const window = windowFromNow(options.warmupMs, options.durationMs);
      const before = sleepUntil(window.from).then(load.snapshot);
      const rss = sampleRss();
      const spec = { host: target.host, port: target.port, command: options.command, probes: options.probes, intervalMs: options.probeIntervalMs, warmupMs: options.warmupMs, durationMs: options.durationMs };
      const probed = await timedPhase(progress, `latency: ${name}`, options.warmupMs + options.durationMs, () => runProbeProcess(spec));
      const during = countsBetween(await before, load.snapshot());
      const peakRssMB = rss.stop() / 1e6;
      return { name, latency: probed.latency, errors: probed.errors, peakRssMB, ...(loadClients > 0 ? { load: during } : {}) };
    } finally {
      await load.stop();
    }
  });
}
