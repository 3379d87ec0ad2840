/**
 * One exposure, from start to file: SETUP → EXPOSING (⇄ PAUSED) → READOUT → WRITING → NONE, or
 * → ABORT → NONE when aborted. It owns its own state, so a finished or abandoned run never
 * touches the camera's next one.
 */
import { lstat } from 'node:fs/promises';
import { AbortedError, CommandError, ImageExistsError, ImageNotDurableError, leavesImageWritten, ReadoutError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Shutter } from './controller.js';
import { withIntegratedTime, type ShownSettings } from './exposure-plan.js';
import { exposureTimeCards } from './exposure-times.js';
import { IntegrationTimer } from './integration-timer.js';
import { log } from '../log.js';
import { mergeCards } from '../readout/cards.js';
import { roiPixelCount } from '../readout/geometry.js';
import type { PixelCount, ReadoutPort } from '../readout/port.js';
import type { ReadoutRequest } from '../readout/request.js';

/** azcam's exposure flags (`get_exposureflag`); this simulator passes through the ones it needs. */
export const EXPOSURE_FLAGS = {
  NONE: 0,
  EXPOSING: 1,
  ABORT: 2,
  PAUSE: 3,
  RESUME: 4,
  READ: 5,
  PAUSED: 6,
  READOUT: 7,
  SETUP: 8,
  WRITING: 9,
  ERROR: 11,
} as const;

export type ExposureState = keyof typeof EXPOSURE_FLAGS;

/** `exposure.get_status`: the exposure's own settings while it runs, absent once it has ended. */
export interface ExposureStatus extends Partial<ShownSettings> {
  exposurestate: ExposureState;
  /** 0-100 through the current phase (integration, then readout). */
  progressbar: number;
  /** Seconds of integration left. */
  timeleft: number;
  filename: string;
  /** Empty, "aborted", or why the exposure failed. */
  message: string;
}

/**
 * azcam's exposure in separate steps (`begin`, `integrate`, `readout`, `end`): the run waits at
 * SETUP until `integrate` resolves, and at READ until `readout` does.
 */
export interface StepGates {
  integrate: Promise<void>;
  readout: Promise<void>;
}

/**
 * A frame integrated several times before its one readout (azcam's focus frame): `between` runs
 * before each integration after the first (index 1, 2, ...); once `signal` aborts (an abort or a
 * stop) it should return at once, changing nothing more. `after` runs once integration, once begun,
 * has ended, however it ended, before the readout and before the camera is free for another exposure.
 */
export interface Integrations {
  count: number;
  between(index: number, signal: AbortSignal): Promise<void>;
  after(): void;
}

/** How a run differs from a plain exposure: run in steps, or integrated more than once. */
export interface RunOptions {
  gates?: StepGates | undefined;
  integrations?: Integrations | undefined;
  /** The camera's image number, when this image takes one. */
  numbering?: Numbering | undefined;
}

/**
 * How a run moves the camera's image number on: as soon as the camera is free (the next exposure
 * may start meanwhile), and on the disk before the run ends. Were the number lost to a power
 * failure after the reply, the next image would take this one's name, and with imageoverwrite
 * replace it.
 */
export interface Numbering {
  advance(): void;
  /** Resolves once the number moved on is in the parameter file; rejects if it could not be saved. */
  saved(): Promise<void>;
}

const ONE_INTEGRATION: Integrations = { count: 1, between: () => Promise.resolve(), after: () => undefined };

export interface ExposureRunDeps {
  clock: Clock;
  readout: ReadoutPort;
  shutter: Shutter;
}

export class ExposureRun {
  /** Resolves when integration has begun (never rejects: a failure before that is in `finished`). */
  readonly started: Promise<void>;
  /** Resolves when the file is written; rejects with the reason it was not. */
  readonly finished: Promise<void>;
  /**
   * Resolves when the camera is free for the next exposure: once the readout is handed off to
   * the pool, or when this run ends, whichever is first (never rejects).
   */
  readonly cameraFree: Promise<void>;
  readonly #deps: ExposureRunDeps;
  readonly #shown: ShownSettings;
  readonly #abort = new AbortController();
  #state: ExposureState = 'SETUP';
  #message = '';
  #timer: IntegrationTimer | undefined;
  /** Aborts when integration is to end as soon as it runs (a server stop, `start_readout`). */
  readonly #endEarly = new AbortController();
  /** Epoch ms when integration began. */
  #startMs = 0;
  #pixels: () => PixelCount;
  #markStarted!: () => void;
  #markCameraFree!: () => void;
  #cameraIsFree = false;
  readonly #numbering: Numbering | undefined;

  /** Resolves when the run waits at (or has passed) the step before integration or readout; never rejects. */
  readonly reached: { integrate: Promise<void>; readout: Promise<void> };
  readonly #gates: StepGates | undefined;
  readonly #integrations: Integrations;
  #markReached!: { integrate: () => void; readout: () => void };

  constructor(
    readonly request: ReadoutRequest,
    shown: ShownSettings,
    deps: ExposureRunDeps,
    { gates, integrations = ONE_INTEGRATION, numbering }: RunOptions = {},
  ) {
    this.#shown = shown;
    this.#deps = deps;
    this.#gates = gates;
    this.#integrations = integrations;
    this.#numbering = numbering;
    const integrate = new Promise<void>((resolve) => (this.#markReached = { integrate: resolve, readout: () => undefined }));
    const readout = new Promise<void>((resolve) => (this.#markReached.readout = resolve));
    this.reached = { integrate, readout };
    const total = roiPixelCount(request.roi);
    this.#pixels = () => ({ remaining: total, total });
    this.started = new Promise((resolve) => (this.#markStarted = resolve));
    this.cameraFree = new Promise((resolve) => (this.#markCameraFree = resolve));
    this.finished = this.#execute();
    // The outcome is also kept for get_status; whoever awaits `finished` still gets the rejection.
    this.finished.catch(() => undefined);
  }

  get state(): ExposureState {
    // The readout reports the write through its pixel counter.
    return this.#state === 'READOUT' && this.#pixels().writing ? 'WRITING' : this.#state;
  }

  get secondsLeft(): number {
    if (this.#state === 'SETUP') return this.request.simulation.exposureTime;
    const integrating = this.#state === 'EXPOSING' || this.#state === 'PAUSED';
    return integrating && this.#timer ? Math.round(this.#timer.remainingMs) / 1000 : 0;
  }

  get pixelsRemaining(): number {
    const { state } = this;
    return state === 'NONE' || state === 'WRITING' ? 0 : this.#pixels().remaining;
  }

  status(): ExposureStatus {
    const { state } = this;
    return {
      exposurestate: state,
      progressbar: this.#progress(state),
      timeleft: this.secondsLeft,
      filename: this.request.filename,
      message: this.#message,
      ...(state === 'NONE' ? {} : this.#shown),
    };
  }

  /** Stops the exposure in any state until its image is written; `finished` then rejects with AbortedError. */
  abort(): void {
    if (this.#state === 'NONE' || this.#state === 'WRITING' || this.#abort.signal.aborted) return;
    this.#state = 'ABORT';
    this.#abort.abort(new AbortedError());
    this.#timer?.cancel(new AbortedError());
  }

  /**
   * Ends integration now, or as soon as it begins, and reads the image out with the time actually
   * integrated (a server stop keeps the photons); a readout under way goes on as it is.
   */
  endEarly(): void {
    this.#endEarly.abort();
    this.#timer?.finishEarly();
  }

  /** Only an integration pauses; in any other state, as in azcam, a pause has no effect (and is no error). */
  pause(): void {
    if (this.#state !== 'EXPOSING') return;
    this.#timer?.pause();
    this.#deps.shutter.close();
    this.#state = 'PAUSED';
  }

  /** Only a paused integration resumes; in any other state no effect, as in azcam. */
  resume(): void {
    if (this.#state !== 'PAUSED') return;
    if (this.request.simulation.shutter) this.#deps.shutter.open();
    this.#timer?.resume();
    this.#state = 'EXPOSING';
  }

  async #execute(): Promise<void> {
    try {
      await this.#setup();
      await this.#step('integrate');
      await this.#integrate();
      if (this.#gates) this.#state = 'READ';
      await this.#step('readout');
      await this.#readout();
      await this.#nextNumberSaved();
      this.#end('');
    } catch (error) {
      const aborted = this.#abort.signal.aborted && !leavesImageWritten(error);
      const failure = aborted ? new AbortedError() : asCommandError(error);
      if (leavesImageWritten(failure)) await this.#numberKept();
      this.#end(failure instanceof AbortedError ? 'aborted' : failure.message);
      throw failure;
    }
  }

  /** Marks the step reached, and waits for the client's go-ahead when the exposure runs in steps. */
  async #step(name: keyof StepGates): Promise<void> {
    this.#markReached[name]();
    if (!this.#gates) return;
    const { signal } = this.#abort;
    signal.throwIfAborted();
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new AbortedError()), { once: true }));
    await Promise.race([this.#gates[name], aborted]);
  }

  async #setup(): Promise<void> {
    const { filename, overwrite } = this.request;
    if (!overwrite && (await fileExists(filename))) throw new ImageExistsError(filename);
    this.#abort.signal.throwIfAborted();
  }

  /**
   * Integrates as many times as the frame asks; a stop ends the integration, or the setup between
   * two, under way, and the frame with it.
   */
  async #integrate(): Promise<void> {
    this.#startMs = this.#deps.clock.now();
    try {
      for (let index = 0; index < this.#integrations.count; index++) {
        if (index > 0 && !(await this.#between(index))) return;
        await this.#integrateOnce();
      }
    } finally {
      this.#integrations.after();
    }
  }

  /**
   * Sets the camera up for integration `index` (SETUP: no pause); false when a stop ends the frame
   * instead, before or during the setup.
   */
  async #between(index: number): Promise<boolean> {
    const { signal } = this.#abort;
    const stop = this.#endEarly.signal;
    signal.throwIfAborted();
    if (stop.aborted) return false;
    this.#state = 'SETUP';
    await this.#integrations.between(index, AbortSignal.any([signal, stop]));
    signal.throwIfAborted();
    return !stop.aborted;
  }

  async #integrateOnce(): Promise<void> {
    this.#timer = new IntegrationTimer(this.#deps.clock, this.request.simulation.exposureTime * 1000);
    this.#state = 'EXPOSING';
    if (this.request.simulation.shutter) this.#deps.shutter.open();
    this.#markStarted();
    if (this.#endEarly.signal.aborted) this.#timer.finishEarly();
    try {
      await this.#timer.done;
    } finally {
      this.#deps.shutter.close();
    }
  }

  async #readout(): Promise<void> {
    const { signal } = this.#abort;
    signal.throwIfAborted();
    this.#state = 'READOUT';
    const request = this.#integratedRequest();
    const times = exposureTimeCards({ startMs: this.#startMs, endMs: this.#deps.clock.now() });
    await this.#deps.readout.read({ ...request, cards: Object.freeze(mergeCards(request.cards, times)) }, {
      signal,
      trackPixels: (counter) => (this.#pixels = counter),
      handedOff: () => this.#freeCamera(),
    });
  }

  /** Still WRITING until the number this image moved on is on the disk (Numbering); then too late to abort. */
  async #nextNumberSaved(): Promise<void> {
    if (!this.#numbering) return;
    this.#state = 'WRITING';
    this.#freeCamera();
    await this.#numbering.saved().catch((error: unknown) => {
      throw new ImageNotDurableError(`image ${this.request.filename} written, but the next sequence number could not be saved: ${(error as Error).message}`);
    });
  }

  /** An image written whose command fails all the same keeps its number: moved on, and saved before the run ends as far as the disk allows. */
  async #numberKept(): Promise<void> {
    this.#freeCamera();
    await this.#numbering?.saved().catch(() => undefined);
  }

  /** Once the image has left the camera: the camera may take the next exposure, and the image number moves on. */
  #freeCamera(): void {
    if (this.#cameraIsFree) return;
    this.#cameraIsFree = true;
    this.#numbering?.advance();
    this.#markCameraFree();
  }

  /** The request as planned, or with the time integrated when integration was ended early. */
  #integratedRequest(): ReadoutRequest {
    const timer = this.#timer;
    if (!timer || timer.remainingMs === 0) return this.request;
    const integrated = Math.round(timer.integratedMs) / 1000;
    const { camera, filename, simulation } = this.request;
    log.info('exposure ended early, read out with the time integrated', { camera, filename, planned: simulation.exposureTime, integrated });
    return withIntegratedTime(this.request, integrated);
  }

  #end(message: string): void {
    this.#state = 'NONE';
    this.#message = message;
    // A run that ends without its image handed off moves no number on.
    this.#cameraIsFree = true;
    this.#markCameraFree();
    this.#markReached.integrate();
    this.#markReached.readout();
  }

  #progress(state: ExposureState): number {
    switch (state) {
      case 'EXPOSING':
      case 'PAUSED':
        return this.#timer ? percentDone(this.#timer.remainingMs, this.#timer.durationMs) : 0;
      case 'READOUT': {
        const { remaining, total } = this.#pixels();
        return percentDone(remaining, total);
      }
      case 'WRITING':
        return 100;
      default:
        return 0;
    }
  }
}

function percentDone(remaining: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.max(0, Math.round((100 * (total - remaining)) / total)));
}

function asCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  return new ReadoutError(`readout failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** Whether anything, a symbolic link included (even one that leads nowhere), has this name. */
function fileExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
