import type { ResourceLock } from '../dispatch/locks.js';
import type { Session } from '../dispatch/session.js';
import { AbortedError, InvalidStateError, leavesImageWritten, ResourceBusyError } from '../errors.js';
import { Deferred } from '../deferred.js';
import { log } from '../log.js';
import type { ExposureRuns } from './exposure-runs.js';
import type { ImageNames } from './image-names.js';
import { mergeCards } from '../readout/cards.js';
import type { HeaderCard } from '../readout/fits.js';
import { ExposureRun, type ExposureRunDeps, type ExposureState, type ExposureStatus, type Integrations, type RunOptions } from './exposure-run.js';
import { planExposure, type ExposureOverrides, type ExposurePlan, type PlanSources } from './exposure-plan.js';
import { nextFilename } from './filename.js';
import type { Clocking } from './controller.js';
import { ImageSequence } from './image-sequence.js';
import { UNCHANGED, type ParameterValues } from './parameters.js';

export interface ExposureToolDeps extends ExposureRunDeps, PlanSources {
  /** Held from the start of an exposure until it has finished: one exposure per camera. */
  lock: ResourceLock;
  /** Every exposure not yet ended (a server stop ends them early, or aborts them). */
  runs: ExposureRuns;
  /** The file names claimed by running exposures, shared with the server's other cameras. */
  names: ImageNames;
  /** The first exposure's seed; each later one gets the next. */
  seed: number;
  /** Resolves once every parameter change so far is in the parameter file; rejects if that save failed. */
  parametersSaved: () => Promise<void>;
  clocking: Clocking;
}

const IDLE: ExposureStatus = { exposurestate: 'NONE', progressbar: 0, timeleft: 0, filename: '', message: '' };

/** An exposure `begin` started: each step opens its gate. */
interface SteppedExposure {
  run: ExposureRun;
  done: Promise<void>;
  gates: { integrate: Deferred; readout: Deferred };
}

/** How an exposure ended for its client: its file is written, or a client aborted it (not an error in azcam). */
export type ExposureOutcome = 'written' | 'aborted';


/** How an exposure differs from a plain one: settings of its own, run in steps, a frame of several integrations, cards of its own. */
interface ExposureKind extends RunOptions {
  overrides?: ExposureOverrides;
  cards?: HeaderCard[];
  /** Flush the detector first; `flusharray` decides when not given. */
  flush?: boolean;
}

/** azcam's focus frame: integrated several times, with settings and header cards of its own. */
export interface ExposureFrame {
  overrides: ExposureOverrides;
  integrations: Integrations;
  cards: HeaderCard[];
}

/** The title azcam gives a test exposure's image; its type is `dark`, or `object` with the shutter open. */
const TEST_TITLE = 'test image';

/** What `expose [time] [imagetype] ["title"]` may change first, by parameter name. */
export interface ExposeSettings {
  exposuretime: number;
  imagetype: string;
  imagetitle: string;
}

/**
 * The `exposure` tool: starts exposures, and answers about them while they run. One exposure per
 * camera at a time; status, abort, pause and resume are answered whatever the state.
 */
export class ExposureTool {
  readonly #deps: ExposureToolDeps;
  readonly #sequence: ImageSequence;
  /** The running exposure, or the last one once it has finished. */
  #run: ExposureRun | undefined;
  #releaseLock = (): void => undefined;
  #exposures = 0;
  #lastFilename = '';
  /** An image was written that `check_image_ready` has not yet reported. */
  #imageReady = false;
  /** Runs a client aborted: their commands reply OK, as azcam's do. */
  readonly #clientAborts = new WeakSet<ExposureRun>();
  /** The exposure `begin` started, run a step at a time. */
  #steps: SteppedExposure | undefined;

  constructor(deps: ExposureToolDeps) {
    this.#deps = deps;
    this.#sequence = new ImageSequence(deps.parameters, deps.names, deps.camera);
  }

  /**
   * Replies once the image file is written. An abort is not an error (azcam): the reply is OK, the
   * status says `aborted`, and no file is written; the result tells a sequence to stop.
   */
  async expose(settings: Partial<ExposeSettings>, session: Session, flush?: boolean): Promise<ExposureOutcome> {
    const { run, done } = this.#start(this.#exposeChanges(settings), session, { flush });
    return this.#outcome(run, done);
  }

  /** Replies as soon as integration has begun; the client polls get_status. */
  async expose1(settings: Partial<ExposeSettings>, session: Session): Promise<void> {
    const { run, done } = this.#start(this.#exposeChanges(settings), session);
    done.catch(() => undefined); // a later failure is reported by get_status
    await Promise.race([run.started, done]).catch(this.#clientAbortIsNoError(run));
  }

  /** azcam's test exposure: written to test.fits, with azcam's title and type, no setting changed. */
  async test(exposureTime: number, shutterOpen: boolean, session: Session): Promise<ExposureOutcome> {
    const values = { ...this.#exposeChanges({ exposuretime: exposureTime }), imagetest: true, imagetitle: TEST_TITLE, imagetype: shutterOpen ? 'object' : 'dark' } as const;
    const { run, done } = this.#start({}, session, { overrides: { values } });
    return this.#outcome(run, done);
  }

  /**
   * azcam's exposure in steps: `begin` sets up (the camera is then held), `integrate` integrates,
   * `readout` reads the detector out, `end` waits for the file. Each replies when its step is done.
   */
  async begin(settings: Partial<ExposeSettings>, session: Session): Promise<void> {
    const gates = { integrate: new Deferred(), readout: new Deferred() };
    const { run, done } = this.#start(this.#exposeChanges(settings), session, { gates: { integrate: gates.integrate.promise, readout: gates.readout.promise } });
    done.catch(() => undefined); // reported by the step that waits for it, and by get_status
    this.#steps = { run, done, gates };
    await Promise.race([run.reached.integrate, done]);
  }

  async integrate(): Promise<void> {
    const { run, done, gates } = this.#stepped('integrate');
    gates.integrate.resolve();
    await Promise.race([run.reached.readout, done]).catch(this.#clientAbortIsNoError(run));
  }

  async readout(): Promise<void> {
    const { run, done, gates } = this.#stepped('readout');
    gates.readout.resolve();
    await Promise.race([run.cameraFree, done]).catch(this.#clientAbortIsNoError(run));
  }

  async end(): Promise<void> {
    const { run, done } = this.#stepped('end');
    this.#steps = undefined;
    await done.catch(this.#clientAbortIsNoError(run));
  }

  /** azcam's `start_readout`: ends the integration under way now; EXPTIME is the time integrated. */
  startReadout(): void {
    this.#run?.endEarly();
  }

  /**
   * One image integrated several times, with settings and header cards of its own (azcam's focus
   * frame); `changes` are checked values, applied once the camera is taken. Replies as expose does.
   */
  async exposeFrame(changes: Partial<ParameterValues>, frame: ExposureFrame, session: Session): Promise<ExposureOutcome> {
    const { run, done } = this.#start(changes, session, frame);
    return this.#outcome(run, done);
  }

  /** A client's abort: the exposure's command replies OK (azcam), unlike a server stop's abort. */
  abort(): void {
    if (this.#run) this.#clientAborts.add(this.#run);
    this.#run?.abort();
  }

  /** With no exposure integrating, nothing to do: azcam's pause and resume then only return. */
  pause(): void {
    this.#run?.pause();
  }

  resume(): void {
    this.#run?.resume();
  }

  /**
   * Aborts any exposure and clears the status. The lock is released at once, so that a readout
   * that never ends cannot keep the camera busy for good.
   */
  reset(): void {
    this.abort();
    this.#run = undefined;
    this.#releaseLock();
    this.#deps.shutter.close();
  }

  /** The exposure under way, or the last one; before any, idle with the next image's name. */
  status(): ExposureStatus {
    return this.#run?.status() ?? { ...IDLE, filename: nextFilename(this.#deps.parameters.values) };
  }

  get state(): ExposureState {
    return this.#run?.state ?? 'NONE';
  }

  get secondsLeft(): number {
    return this.#run?.secondsLeft ?? 0;
  }

  /** azcam's `check_image_ready`: true once for each image written. */
  takeImageReady(): boolean {
    const ready = this.#imageReady;
    this.#imageReady = false;
    return ready;
  }

  /** The last image written (azcam's `lastfilename`). */
  get lastFilename(): string {
    return this.#lastFilename;
  }

  get pixelsRemaining(): number {
    return this.#run?.pixelsRemaining ?? 0;
  }

  /** Each setting given (and not -1 or empty) is checked and applied before the exposure. */
  #exposeChanges(settings: Partial<ExposeSettings>): Partial<ParameterValues> {
    const changes: Partial<ParameterValues> = {};
    for (const [parameter, value] of Object.entries(settings)) {
      if (value !== undefined && value !== '' && Number(value) !== UNCHANGED) Object.assign(changes, this.#deps.parameters.parse(parameter, String(value)));
    }
    return changes;
  }

  /** Takes the camera (or fails at once), applies the changes, and starts the exposure. */
  #start(changes: Partial<ParameterValues>, session: Session, kind: ExposureKind = {}): { run: ExposureRun; done: Promise<void> } {
    const { overrides, cards, flush = this.#deps.parameters.get('flusharray') } = kind;
    this.#deps.runs.admit();
    const release = this.#deps.lock.tryAcquire();
    let plan: ExposurePlan;
    try {
      this.#deps.parameters.update(changes);
      this.#sequence.skipTaken(overrides?.values);
      plan = planExposure({ ...this.#deps, seed: (this.#deps.seed + this.#exposures++) >>> 0 }, overrides);
      const { filename } = plan.request;
      if (this.#deps.names.isClaimed(filename)) throw new ResourceBusyError(`image file ${filename} is claimed by another exposure`);
    } catch (error) {
      release();
      throw error;
    }
    if (flush) this.#deps.clocking.flushBeforeExposure();
    const request = cards ? Object.freeze({ ...plan.request, cards: Object.freeze(mergeCards(plan.request.cards, cards)) }) : plan.request;
    const sequence = plan.advancesSequence ? this.#sequence.claim() : undefined;
    const numbering = sequence && { advance: sequence.advance, saved: this.#deps.parametersSaved };
    const run = new ExposureRun(request, plan.shown, this.#deps, { ...kind, numbering });
    this.#deps.names.claim(plan.request.filename, run.finished);
    this.#deps.runs.track(run);
    this.#run = run;
    this.#releaseLock = release;
    const { camera, simulation, filename } = plan.request;
    const { imageType, exposureTime } = simulation;
    log.info('exposure started', { camera, client: session.name, imageType, exposureTime, filename });
    void run.cameraFree.then(release);
    return { run, done: this.#finish(run, sequence) };
  }

  async #finish(run: ExposureRun, sequence: { giveBack(): void } | undefined): Promise<void> {
    const { camera } = this.#deps;
    const { filename } = run.request;
    try {
      await run.finished;
      this.#lastFilename = filename;
      this.#imageReady = true;
      log.info('exposure written', { camera, filename });
    } catch (error) {
      const reason = (error as Error).message;
      if (leavesImageWritten(error)) {
        // The image stays, and keeps its number (ExposureRun): the next one must not replace it.
        this.#lastFilename = filename;
        log.warn('exposure written, but may not survive a power failure', { camera, filename, reason });
      } else {
        sequence?.giveBack();
        log.warn('exposure not written', { camera, filename, reason });
      }
      throw error;
    }
  }

  async #outcome(run: ExposureRun, done: Promise<void>): Promise<ExposureOutcome> {
    try {
      await done;
      return 'written';
    } catch (error) {
      this.#clientAbortIsNoError(run)(error);
      return 'aborted';
    }
  }

  /** A catch handler: swallows the run's AbortedError when a client aborted it, throws anything else. */
  #clientAbortIsNoError(run: ExposureRun): (error: unknown) => void {
    return (error) => {
      if (!(error instanceof AbortedError && this.#clientAborts.has(run))) throw error;
    };
  }

  #stepped(step: string): SteppedExposure {
    if (!this.#steps) throw new InvalidStateError(`cannot ${step}: no exposure begun (use exposure.begin)`);
    return this.#steps;
  }
}
