import type { CameraReader } from './camera-reader.js';

/** [time (ms since the epoch), CCD, base, set point], °C. */
export type TemperaturePoint = [number, number, number, number];

export interface HistoryOptions {
  /** Default: one sample every 10 s. */
  intervalMs?: number;
  /** Default: an hour's worth. */
  capacity?: number;
  now?: () => number;
}

/**
 * The last hour of each camera's temperatures, sampled on a timer whether or not a page is open,
 * so that a page opened at midnight plots the hour before it.
 */
export class TemperatureHistory {
  readonly #points = new Map<string, TemperaturePoint[]>();
  readonly #intervalMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cameras: readonly CameraReader[],
    options: HistoryOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#capacity = options.capacity ?? 360;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    void this.sample();
    this.#timer ??= setInterval(() => void this.sample(), this.#intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async sample(): Promise<void> {
    for (const camera of this.cameras) {
      const { ccd, base, setpoint } = await camera.temperatures();
      const points = this.#points.get(camera.name) ?? [];
      points.push([this.#now(), ccd, base, setpoint]);
      if (points.length > this.#capacity) points.splice(0, points.length - this.#capacity);
      this.#points.set(camera.name, points);
    }
  }

  /** Each camera's points, oldest first. */
  points(): Record<string, TemperaturePoint[]> {
    return Object.fromEntries([...this.#points].map(([camera, points]) => [camera, [...points]]));
  }
}
