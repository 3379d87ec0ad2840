/**
 * The whole readout pipeline as one pure function, called by the worker (or inline): the raw
 * stream (simulated, or supplied by a real controller), de-interleaved, bias subtracted when
 * asked, cut to the ROI and binned, measured, and encoded as a MEF or assembled FITS file.
 * Checks the abort flag and reports progress between rows (simulate, de-interleave) and between
 * amps (the rest); encoding is one call, checked before it starts.
 */
import { InvalidArgumentError } from '../errors.js';
import { encodeFits, type Hdu } from './fits.js';
import { rawHeight, rawPixelCount, validateRoi, type DetectorGeometry } from './geometry.js';
import { planAmp, planAssembly } from './sections.js';
import { simulateReadout, simulationTableBytes, type SimulationParams } from './simulate.js';
import { checkStreamLength, deinterleave } from './deinterleave.js';
import { assembledImage, rawAmpImage, trimmedAmpImage, type ImageContext } from './images.js';
import { assembledCards, extensionCards, mefPrimaryCards } from './cards.js';
import { BIAS_SUBTRACTIONS, checkBiasSubtraction } from './overscan.js';
import { IMAGE_FORMATS, type ReadoutRequest } from './request.js';
import type { AmpStats } from './stats.js';
import { StageClock, type StageTimings } from './timings.js';
import { NO_SCRATCH, type Scratch } from './scratch.js';
import { canFuse, fusedLayout, fusedMef, fusedWorkBytes } from './fused.js';
import { KernelArena, type ArenaLayout } from './kernels.js';
import { ReadoutMonitor, type ReadoutControl, type StepFn } from './control.js';

export type { StageTimings } from './timings.js';

export interface ReadoutResult {
  /** The whole FITS file; fits.buffer is exactly the file, unless it was encoded into scratch. */
  fits: Uint8Array;
  /** One per amp in the output, in amp order. */
  stats: AmpStats[];
  timings: StageTimings;
  /** The controller's stream the image was made from (in scratch when the caller lent one: read it before the next readout). */
  raw: Uint16Array;
}

/** Each stage's share of the progress counter, roughly its share of the time. */
const SHARES_SIMULATED = { simulate: 0.4, deinterleave: 0.2, process: 0.2, encode: 0.2 };
const SHARES_RAW = { simulate: 0, deinterleave: 0.3, process: 0.35, encode: 0.35 };

/** Throws InvalidArgumentError for a request that cannot be processed (checked before queuing, too). */
export function validateRequest(request: ReadoutRequest): void {
  const { geometry, processing } = request;
  validateRoi(geometry, request.roi);
  if (!(BIAS_SUBTRACTIONS as readonly string[]).includes(processing.biasSubtraction)) {
    throw new InvalidArgumentError(`invalid bias subtraction: ${processing.biasSubtraction} (use none, row or amp)`);
  }
  if (!(IMAGE_FORMATS as readonly string[]).includes(processing.format)) {
    throw new InvalidArgumentError(`invalid image format: ${processing.format} (use mef or assembled)`);
  }
  const { exposureTime } = request.simulation;
  if (!request.raw && !(Number.isFinite(exposureTime) && exposureTime >= 0)) {
    throw new InvalidArgumentError(`invalid exposure time: ${exposureTime}`);
  }
  checkBiasSubtraction(geometry, processing.biasSubtraction);
}

export interface ProcessOptions {
  /**
   * Encode the file into a scratch buffer too (no allocation, no first-touch page faults): for a
   * caller that is done with the bytes before the scratch's next use. fits.buffer may then be
   * longer than the file.
   */
  fitsInScratch?: boolean;
  /** Run the per-stage reference pipeline even where the fused pass applies (for the specs). */
  reference?: boolean;
}

/**
 * Runs the pipeline. `control` (optional) carries the abort flag and progress counter; `scratch`
 * (optional) lends work buffers kept between calls on this thread.
 */
export function processReadout(request: ReadoutRequest, control?: ReadoutControl, scratch: Scratch = NO_SCRATCH, options: ProcessOptions = {}): ReadoutResult {
  validateRequest(request);
  const ctx: ImageContext = { g: request.geometry, clock: new StageClock(), scratch };
  const monitor = new ReadoutMonitor(control, rawPixelCount(ctx.g));
  monitor.check();
  const fused = !options.reference && canFuse(ctx.g, request.roi, request.processing.format);
  return fused ? fusedReadout(ctx, request, monitor, options) : stagedReadout(ctx, request, monitor, options);
}

/** The fused pass, in a kernel arena that holds the stream and the file. */
function fusedReadout(ctx: ImageContext, request: ReadoutRequest, monitor: ReadoutMonitor, options: ProcessOptions): ReadoutResult {
  const { g } = ctx;
  const share = request.raw ? SHARES_RAW : SHARES_SIMULATED;
  const layout = fusedLayout(g, request.cards, request.processing.biasSubtraction);
  const arena = arenaFor(ctx, Math.max(fusedWorkBytes(g), request.raw ? 0 : simulationTableBytes(g)), layout.bytes);
  const raw = request.raw ? copyStream(g, request.raw, arena.stream) : simulate(ctx, request.simulation, monitor.stage(share.simulate, rawHeight(g)), arena);
  const { fits, stats } = fusedMef(ctx, layout, arena, request.cards, monitor.stage(1 - share.simulate, rawHeight(g)));
  monitor.finish();
  // The arena is lent again by the next readout; a caller not encoding into scratch keeps its file.
  return { fits: options.fitsInScratch ? fits : fits.slice(), stats, timings: ctx.clock.done(), raw };
}

/** The per-stage pipeline: any ROI, binning and format, and the reference the fused pass is held to. */
function stagedReadout(ctx: ImageContext, request: ReadoutRequest, monitor: ReadoutMonitor, options: ProcessOptions): ReadoutResult {
  const { g, scratch } = ctx;
  const share = request.raw ? SHARES_RAW : SHARES_SIMULATED;
  const raw = request.raw ?? simulate(ctx, request.simulation, monitor.stage(share.simulate, rawHeight(g)), arenaFor(ctx, simulationTableBytes(g), 0));
  const allocate = options.fitsInScratch ? (bytes: number) => scratch.buffer('fits', bytes) : undefined;
  const amps = ctx.clock.time('deinterleaveMs', () =>
    deinterleave(raw, g, monitor.stage(share.deinterleave, rawHeight(g)), scratch.uint16('amps', rawPixelCount(g))),
  );
  const step = monitor.stage(share.process, g.amps.length);
  const output = request.processing.format === 'mef' ? mefOutput(ctx, request, amps, step) : assembledOutput(ctx, request, amps, step);
  const encodeStep = monitor.stage(share.encode, 1);
  encodeStep(0); // the last abort check: encoding is one call
  const fits = ctx.clock.time('encodeMs', () => encodeFits(output.hdus, allocate));
  monitor.finish();
  return { fits, stats: output.stats, timings: ctx.clock.done(), raw };
}

/** The scratch's kernel arena, laid out for a readout of ctx.g: a work region of `workBytes` (the simulator's tables, when it runs, go there), and a file of `fileBytes`. */
function arenaFor(ctx: ImageContext, workBytes: number, fileBytes: number): ArenaLayout {
  const { g } = ctx;
  const needs = { amps: g.amps.length, workBytes, pixels: rawPixelCount(g), fileBytes };
  return ctx.scratch.arena(KernelArena.bytesFor(needs)).layout(needs);
}

function simulate(ctx: ImageContext, params: SimulationParams, step: StepFn, arena: ArenaLayout): Uint16Array {
  return ctx.clock.time('simulateMs', () => simulateReadout(ctx.g, params, step, arena));
}

/** A controller's stream, into the arena where the kernels can read it. */
function copyStream(g: DetectorGeometry, raw: Uint16Array, out: Uint16Array): Uint16Array {
  checkStreamLength(raw, g);
  out.set(raw);
  return out;
}

interface Output {
  hdus: Hdu[];
  stats: AmpStats[];
}

/** Primary header, then one extension per amp with data in the ROI. */
function mefOutput(ctx: ImageContext, request: ReadoutRequest, amps: Uint16Array[], step: StepFn): Output {
  const { g } = ctx;
  const { roi } = request;
  const mode = request.processing.biasSubtraction;
  const output: Output = { hdus: [{ cards: mefPrimaryCards(request.cards, g, roi.colBin, roi.rowBin, mode) }], stats: [] };
  for (const amp of g.amps) {
    step(amp.index);
    const plan = planAmp(g, roi, amp, mode !== 'none');
    if (!plan) continue;
    const img = amps[amp.index];
    const { image, stats } = mode === 'none' ? rawAmpImage(ctx, plan, img) : trimmedAmpImage(ctx, plan, img, mode);
    output.stats.push(stats);
    output.hdus.push({ cards: extensionCards(g, plan, stats, mode, request.cards), image });
  }
  step(g.amps.length);
  return output;
}

function assembledOutput(ctx: ImageContext, request: ReadoutRequest, amps: Uint16Array[], step: StepFn): Output {
  const mode = request.processing.biasSubtraction;
  const plan = planAssembly(ctx.g, request.roi);
  const { image, stats } = assembledImage(ctx, plan, amps, mode, step);
  step(ctx.g.amps.length);
  return { hdus: [{ cards: assembledCards(request.cards, ctx.g, plan, stats, mode), image }], stats };
}
