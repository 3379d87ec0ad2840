import { existsSync } from 'node:fs';
import type { Arguments } from '../dispatch/arguments.js';
import type { ResourceLock } from '../dispatch/locks.js';
import type { Call } from '../dispatch/registry.js';
import type { Session } from '../dispatch/session.js';
import { InvalidStateError } from '../errors.js';
import { log } from '../log.js';
import { pythonFloat } from '../protocol/reply.js';
import { fullRoi, roiToArray } from '../readout/geometry.js';
import { EXPOSURE_FLAGS, ExposureRun, type ExposureRunDeps, type ExposureStatus } from './exposure-run.js';
import { planExposure, type ExposurePlan, type PlanSources } from './exposure-plan.js';
import { imageFilename, namingFor } from './filename.js';
import { keywordReply } from './header.js';
import { IMAGE_TYPES, UNCHANGED, type ParameterValues } from './parameters.js';
import { word } from './replies.js';
import { detectorFormat, roiFromArgs } from './roi.js';

export interface ExposureToolDeps extends ExposureRunDeps, PlanSources {
  /** Held from the start of an exposure until it has finished: one exposure per camera. */
  lock: ResourceLock;
  /** The first exposure's seed; each later one gets the next. */
  seed: number;
}

/** How far an exposure looks ahead for a free sequence number before giving up on a full folder. */
const MAX_SKIPPED_SEQUENCE_NUMBERS = 10_000;

const IDLE: ExposureStatus = { exposurestate: 'NONE', progressbar: 0, timeleft: 0, filename: '', message: '' };

/** `expose [time] [imagetype] ["title"]`: each, when given (and not -1 or empty), is set first. */
const EXPOSE_ARGUMENTS = [
  ['exposure_time', 'exposuretime'],
  ['image_type', 'imagetype'],
  ['title', 'imagetitle'],
] as const;
const EXPOSE_KEYWORDS = EXPOSE_ARGUMENTS.map(([argument]) => argument);

/**
 * The `exposure` tool: starts exposures, and answers about them while they run. One exposure per
 * camera at a time; status, abort, pause and resume are answered whatever the state.
 */
export class ExposureTool {
  readonly #deps: ExposureToolDeps;
  /** The running exposure, or the last one once it has finished. */
  #run: ExposureRun | undefined;
  #releaseLock = (): void => undefined;
  #exposures = 0;

  constructor(deps: ExposureToolDeps) {
    this.#deps = deps;
  }

  /**
   * Resolves when the current exposure, if any, has ended (written, failed or aborted). An accessor,
   * so never a command.
   */
  get settled(): Promise<void> {
    return this.#run?.finished.catch(() => undefined) ?? Promise.resolve();
  }

  /** Replies once the image file is written. */
  async expose({ args, session }: Call): Promise<void> {
    await this.#start(this.#exposeChanges(args), session).done;
  }

  /** Replies as soon as integration has begun; the client polls get_status. */
  async expose1({ args, session }: Call): Promise<void> {
    const { run, done } = this.#start(this.#exposeChanges(args), session);
    done.catch(() => undefined); // a later failure is reported by get_status
    await Promise.race([run.started, done]);
  }

  /** azcam's test exposure: shutter closed, written to test.fits, no setting changed. */
  async test({ args, session }: Call): Promise<void> {
    const raw = args.atMost(1, ['exposure_time']).optionalString(0, 'exposure_time');
    const { exposuretime = 0 } = raw === undefined ? {} : this.#deps.parameters.parse('exposuretime', raw);
    await this.#start({}, session, { exposureTime: exposuretime }).done;
  }

  abort({ args }: Call): void {
    args.atMost(0);
    this.#run?.abort();
  }

  pause({ args }: Call): void {
    args.atMost(0);
    this.#current('pause').pause();
  }

  resume({ args }: Call): void {
    args.atMost(0);
    this.#current('resume').resume();
  }

  /**
   * Aborts any exposure and clears the status. The lock is released at once, so that a readout
   * that never ends cannot keep the camera busy for good.
   */
  reset({ args }: Call): void {
    args.atMost(0);
    this.#run?.abort();
    this.#run = undefined;
    this.#releaseLock();
    this.#deps.shutter.close();
  }

  get_status({ args }: Call): ExposureStatus {
    args.atMost(0);
    return this.#run?.status() ?? { ...IDLE };
  }

  get_exposureflag({ args }: Call): [number, string] {
    args.atMost(0);
    const state = this.#run?.state ?? 'NONE';
    return [EXPOSURE_FLAGS[state], state];
  }

  get_exposuretime({ args }: Call): string {
    args.atMost(0);
    return pythonFloat(this.#deps.parameters.get('exposuretime'));
  }

  set_exposuretime({ args }: Call): void {
    this.#deps.parameters.set('exposuretime', args.atMost(1).string(0, 'exposure_time'));
  }

  get_exposuretime_remaining({ args }: Call): string {
    args.atMost(0);
    return pythonFloat(this.#run?.secondsLeft ?? 0);
  }

  get_pixels_remaining({ args }: Call): number {
    args.atMost(0);
    return this.#run?.pixelsRemaining ?? 0;
  }

  /** The next image's file name. */
  get_filename({ args }: Call): string[] {
    args.atMost(0);
    return word(imageFilename(this.#deps.parameters.values));
  }

  set_filename({ args }: Call): void {
    const { parameters } = this.#deps;
    parameters.update(namingFor(args.atMost(1).string(0, 'filename'), parameters.get('imagefolder')));
  }

  get_image_title({ args }: Call): string[] {
    args.atMost(0);
    return word(this.#deps.parameters.get('imagetitle'));
  }

  set_image_title({ args }: Call): void {
    this.#deps.parameters.set('imagetitle', args.atMost(1).string(0, 'title'));
  }

  get_image_types({ args }: Call): string[] {
    args.atMost(0);
    return [...IMAGE_TYPES];
  }

  set_image_type({ args }: Call): void {
    this.#deps.parameters.set('imagetype', args.atMost(1).string(0, 'image_type'));
  }

  /** first col, last col, first row, last row, col bin, row bin. */
  get_roi({ args }: Call): number[] {
    args.atMost(0);
    return roiToArray(this.#deps.parameters.roi());
  }

  set_roi({ args }: Call): void {
    const { parameters } = this.#deps;
    parameters.setRoi(roiFromArgs(args, parameters.roi()));
  }

  roi_reset({ args }: Call): void {
    args.atMost(0);
    this.#deps.parameters.setRoi(fullRoi(this.#deps.detector));
  }

  get_format({ args }: Call): number[] {
    args.atMost(0);
    return detectorFormat(this.#deps.detector);
  }

  get_keyword({ args }: Call): string[] {
    return keywordReply(this.#deps.header.get(args.atMost(1).string(0, 'keyword')));
  }

  set_keyword({ args }: Call): void {
    args.atMost(4);
    this.#deps.header.set(args.string(0, 'keyword'), args.string(1, 'value'), args.optionalString(2, 'comment'), args.optionalString(3, 'type'));
  }

  get_keywords({ args }: Call): string[] {
    args.atMost(0);
    return this.#deps.header.names();
  }

  #exposeChanges(args: Arguments): Partial<ParameterValues> {
    args.atMost(EXPOSE_ARGUMENTS.length, EXPOSE_KEYWORDS);
    const changes: Partial<ParameterValues> = {};
    EXPOSE_ARGUMENTS.forEach(([argument, parameter], index) => {
      const raw = args.optionalString(index, argument);
      if (raw !== undefined && raw !== '' && Number(raw) !== UNCHANGED) Object.assign(changes, this.#deps.parameters.parse(parameter, raw));
    });
    return changes;
  }

  /** Takes the camera (or fails at once), applies the changes, and starts the exposure. */
  #start(changes: Partial<ParameterValues>, session: Session, test?: { exposureTime: number }): { run: ExposureRun; done: Promise<void> } {
    const release = this.#deps.lock.tryAcquire();
    let plan: ExposurePlan;
    try {
      this.#deps.parameters.update(changes);
      if (!test) this.#skipTakenSequenceNumbers();
      plan = planExposure({ ...this.#deps, seed: (this.#deps.seed + this.#exposures++) >>> 0 }, test);
    } catch (error) {
      release();
      throw error;
    }
    const run = new ExposureRun(plan.request, this.#deps);
    this.#run = run;
    this.#releaseLock = release;
    const { camera, simulation, filename } = plan.request;
    const { imageType, exposureTime } = simulation;
    log.info('exposure started', { camera, client: session.name, imageType, exposureTime, filename });
    const sequence = plan.advancesSequence ? this.#advanceSequenceWhenFree(run) : undefined;
    void run.cameraFree.then(release);
    return { run, done: this.#finish(run, sequence) };
  }

  /**
   * The next exposure may start while this one is still processed, so the sequence number moves
   * on as soon as the camera is free; it is given back if this image then fails and no later
   * exposure has taken the next number. Resolves with the number this image took.
   */
  async #advanceSequenceWhenFree(run: ExposureRun): Promise<number> {
    const { parameters } = this.#deps;
    const taken = parameters.get('imagesequencenumber');
    await run.cameraFree;
    parameters.update({ imagesequencenumber: taken + 1 });
    return taken;
  }

  async #finish(run: ExposureRun, sequence: Promise<number> | undefined): Promise<void> {
    const { camera, parameters } = this.#deps;
    const { filename } = run.request;
    try {
      await run.finished;
      log.info('exposure written', { camera, filename });
    } catch (error) {
      const taken = await sequence;
      if (taken !== undefined && parameters.get('imagesequencenumber') === taken + 1) parameters.update({ imagesequencenumber: taken });
      log.warn('exposure not written', { camera, filename, reason: (error as Error).message });
      throw error;
    }
  }

  /**
   * With auto-increment on, a sequence number whose file already exists (after a restart, say) is
   * skipped rather than refused: the next exposure takes the first free number, nothing is replaced.
   */
  #skipTakenSequenceNumbers(): void {
    const { parameters, camera } = this.#deps;
    const values = parameters.values;
    if (!values.imageautoincrementsequencenumber || !values.imageincludesequencenumber || values.imageoverwrite) return;
    let sequence = values.imagesequencenumber;
    const limit = sequence + MAX_SKIPPED_SEQUENCE_NUMBERS;
    while (sequence < limit && existsSync(imageFilename({ ...values, imagesequencenumber: sequence }))) sequence++;
    if (sequence === values.imagesequencenumber) return;
    log.info('image sequence number skips existing files', { camera, from: values.imagesequencenumber, to: sequence });
    parameters.update({ imagesequencenumber: sequence });
  }

  #current(action: string): ExposureRun {
    if (!this.#run || this.#run.state === 'NONE') throw new InvalidStateError(`cannot ${action}: no exposure in progress`);
    return this.#run;
  }
}
