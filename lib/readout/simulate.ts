/**
 * The simulated controller's raw readout: one uint16 stream with every amp's pixels interleaved
 * (pixel i of amp 0, pixel i of amp 1, ..., each amp in its own readout order, prescan and
 * overscan included), as a multi-output CCD controller delivers it.
 *
 * Signal model (ADU, gain 1 e-/ADU): per-amp bias level and read noise (ampElectronics); dark
 * current times exposure time in imaging pixels; with the shutter open, a flat field (vignetting
 * times a per-amp response) at FLAT_LEVEL for flats, or at SKY_RATE * exposure time plus a few
 * gaussian stars for other frames; cosmic rays in every frame; shot noise on the signal.
 * Exact for a given seed: noise comes from a xorshift32 generator indexing a table of normal
 * quantiles, so no per-pixel allocation, no Math.random and nothing costlier than a sqrt per pixel
 * (and no sqrt where the signal is uniform: see fillNoise).
 */
import {
  ampOrigin,
  ampRegions,
  detectorStreamIndex,
  rawHeight,
  rawPixelCount,
  rawWidth,
  type Amplifier,
  type DetectorGeometry,
} from './geometry.js';
import type { StepFn } from './control.js';

export interface SimulationParams {
  /** azcam image type: zero/bias and dark keep the shutter closed, *flat* is a flat, the rest see the sky. */
  imageType: string;
  /** Seconds. */
  exposureTime: number;
  seed: number;
  /** Overrides the image type's shutter (false: `exposure.test`, no light). */
  shutter?: boolean;
}

export interface AmpElectronics {
  /** Bias level, ADU. */
  bias: number;
  /** Read noise, ADU rms. */
  readNoise: number;
  /** Relative response (multiplies the light). */
  response: number;
}

/** Electrons per ADU of every simulated amp. */
export const GAIN = 1;
export const DARK_CURRENT = 0.05; // ADU / s / pixel
export const SKY_RATE = 40; // ADU / s / pixel
export const FLAT_LEVEL = 20000; // ADU
const COSMIC_RATE = 0.5; // per megapixel per second (plus one second of readout)
const STARS_PER_4K = 25;
const CLOSED_TYPES = new Set(['zero', 'bias', 'dark']);

/** Fixed per-amp electronics: bias 970..1030 ADU, all different; read noise 3..5 ADU. */
export function ampElectronics(index: number): AmpElectronics {
  return {
    bias: 970 + ((index * 37) % 61),
    readNoise: 3 + (index % 5) * 0.5,
    response: 1 + (((index * 7) % 5) - 2) * 0.01,
  };
}

/** Whether light reaches the detector for these parameters. */
export function shutterOpen(params: SimulationParams): boolean {
  return params.shutter ?? !CLOSED_TYPES.has(params.imageType.toLowerCase());
}

/** The raw stream, written into `out` (rawPixelCount long, every element overwritten) if given. */
export function simulateReadout(
  g: DetectorGeometry,
  params: SimulationParams,
  step?: StepFn,
  out?: Uint16Array,
): Uint16Array {
  const stream = out ?? new Uint16Array(rawPixelCount(g));
  if (stream.length !== rawPixelCount(g)) throw new RangeError(`simulateReadout: out has ${stream.length} pixels, needs ${rawPixelCount(g)}`);
  const light = lightLevel(params);
  const dark = darkTime(params) * DARK_CURRENT;
  fillNoise(stream, g, light, dark, params.seed, step);
  const random = mulberry32(params.seed ^ 0x5bd1e995);
  if (light > 0 && !isFlat(params)) addStars(stream, g, params.exposureTime, random);
  addCosmicRays(stream, g, params.exposureTime, random);
  return stream;
}

function isFlat(params: SimulationParams): boolean {
  return params.imageType.toLowerCase().includes('flat');
}

/** Mean light level (ADU) before the flat-field pattern; 0 with the shutter closed. */
function lightLevel(params: SimulationParams): number {
  if (!shutterOpen(params)) return 0;
  return isFlat(params) ? FLAT_LEVEL : SKY_RATE * Math.max(0, params.exposureTime);
}

function darkTime(params: SimulationParams): number {
  const type = params.imageType.toLowerCase();
  return type === 'zero' || type === 'bias' ? 0 : Math.max(0, params.exposureTime);
}

/** Vignetting-like illumination along one axis: 1 at the centre, 0.94 at the edges. */
function vignette(i: number, n: number): number {
  const u = (2 * (i + 0.5)) / n - 1;
  return 1 - 0.06 * u * u;
}

/**
 * The bulk of the frame: bias + light + dark + gaussian read and shot noise, row by row. One
 * xorshift32 generator runs through the whole frame, amp row after amp row in stream order; each
 * step feeds two pixels (the two 12-bit fields that index NORMAL).
 *
 * An amp reads every row as prescan, data, serial overscan. Prescan and overscan pixels, and data
 * pixels without light, have a uniform signal (0, or the dark signal in imaging rows), so their
 * value depends on the noise draw alone and comes from a table (AmpNoise.lookup); only lit data
 * pixels need the per-pixel formula and its square root.
 */
function fillNoise(
  stream: Uint16Array,
  g: DetectorGeometry,
  light: number,
  dark: number,
  seed: number,
  step?: StepFn,
): void {
  const width = rawWidth(g);
  const height = rawHeight(g);
  const n = g.amps.length;
  const dataFrom = g.prescan;
  const dataTo = g.prescan + g.ampWidth;
  const amps = g.amps.map((amp) => ampNoise(g, amp, dark));
  let state = seedState(seed);
  for (let p = 0; p < height; p++) {
    step?.(p);
    // An indexed loop: V8 optimises this hot path markedly better than for..of.
    for (let a = 0; a < n; a++) {
      const amp = amps[a];
      const y = amp.flipY ? height - 1 - p : p;
      const imaging = y >= amp.dataY && y < amp.dataY + g.ampHeight;
      const row: StreamRow = { stream, at: p * width * n + a, stride: n };
      state = uniformSegment(row, 0, dataFrom, amp.lookup, BIAS_TABLE, state);
      if (imaging && light > 0) {
        const rowLight = light * vignette(amp.originY + y - amp.dataY, g.height);
        state = litSegment(row, dataFrom, dataTo, amp, rowLight, dark, state);
      } else {
        state = uniformSegment(row, dataFrom, dataTo, amp.lookup, imaging ? DARK_TABLE : BIAS_TABLE, state);
      }
      state = uniformSegment(row, dataTo, width, amp.lookup, BIAS_TABLE, state);
    }
  }
  step?.(height);
}

/** One amp's readout row in the stream: its readout column s is stream[at + s * stride]. */
interface StreamRow {
  stream: Uint16Array;
  at: number;
  stride: number;
}

/** What one amp's noise needs, computed once per frame. */
interface AmpNoise {
  flipY: boolean;
  /** Mean level (bias + 0.5, so that truncation rounds) and read noise variance, ADU. */
  bias: number;
  variance: number;
  /** Light factor per readout column (0 outside the data columns). */
  light: Float32Array;
  /**
   * adu() for every noise draw, with no signal (from BIAS_TABLE) and with the dark signal (from
   * DARK_TABLE): computed by adu itself, so exactly what the per-pixel formula gives.
   */
  lookup: Uint16Array;
  /** First data row of its raw image, and the detector row of its first data row. */
  dataY: number;
  originY: number;
}

function ampNoise(g: DetectorGeometry, amp: Amplifier, dark: number): AmpNoise {
  const { bias, readNoise } = ampElectronics(amp.index);
  const level = bias + 0.5;
  const variance = readNoise ** 2;
  const lookup = new Uint16Array(2 * NORMAL.length);
  for (let i = 0; i < NORMAL.length; i++) {
    lookup[BIAS_TABLE + i] = adu(level, variance, 0, NORMAL[i]);
    lookup[DARK_TABLE + i] = adu(level, variance, dark, NORMAL[i]);
  }
  return {
    flipY: amp.flipY,
    bias: level,
    variance,
    light: columnLight(g, amp),
    lookup,
    dataY: amp.flipY ? g.overscanRows : 0,
    originY: ampOrigin(g, amp).y,
  };
}

/** Per readout column s of an amp: the light factor of that column (0 off the imaging area). */
function columnLight(g: DetectorGeometry, amp: Amplifier): Float32Array {
  const width = rawWidth(g);
  const light = new Float32Array(width);
  const { data } = ampRegions(g, amp);
  const origin = ampOrigin(g, amp).x;
  const response = ampElectronics(amp.index).response;
  for (let s = 0; s < width; s++) {
    const x = amp.flipX ? width - 1 - s : s;
    if (x >= data.x && x < data.x + data.width) light[s] = response * vignette(origin + x - data.x, g.width);
  }
  return light;
}

/**
 * Readout columns [from, to) of a row with a uniform signal: pixel = lookup[table + noise draw].
 * Starting at an odd column, the first pixel takes the second field of the draw made for the
 * column before it (by the previous segment). Returns the generator state.
 */
function uniformSegment(row: StreamRow, from: number, to: number, lookup: Uint16Array, table: number, state: number): number {
  const { stream, stride } = row;
  let s = from;
  let o = row.at + from * stride;
  if (s < to && s % 2 === 1) {
    stream[o] = lookup[table + lowField(state)];
    s++;
    o += stride;
  }
  // Two draws per iteration: V8 checks each typed array (map, length, data pointer) on every
  // iteration, so the more an iteration does, the less those checks cost per pixel.
  for (; s + 3 < to; s += 4, o += 4 * stride) {
    state = xorshift32(state);
    stream[o] = lookup[table + highField(state)];
    stream[o + stride] = lookup[table + lowField(state)];
    state = xorshift32(state);
    stream[o + 2 * stride] = lookup[table + highField(state)];
    stream[o + 3 * stride] = lookup[table + lowField(state)];
  }
  if (s + 1 < to) {
    state = xorshift32(state);
    stream[o] = lookup[table + highField(state)];
    stream[o + stride] = lookup[table + lowField(state)];
    s += 2;
    o += 2 * stride;
  }
  if (s < to) {
    state = xorshift32(state);
    stream[o] = lookup[table + highField(state)];
  }
  return state;
}

/**
 * Lit data columns [from, to): mean level + signal (light factor * rowLight + dark), plus gaussian
 * noise of variance read noise^2 + signal, drawn as in uniformSegment. Returns the generator state.
 */
function litSegment(row: StreamRow, from: number, to: number, amp: AmpNoise, rowLight: number, dark: number, state: number): number {
  const { stream, stride } = row;
  const { bias, variance, light } = amp;
  let s = from;
  let o = row.at + from * stride;
  if (s < to && s % 2 === 1) {
    stream[o] = adu(bias, variance, light[s] * rowLight + dark, NORMAL[lowField(state)]);
    s++;
    o += stride;
  }
  // One draw per iteration: the square roots, not the array checks, set the pace here.
  for (; s < to; s += 2, o += 2 * stride) {
    state = xorshift32(state);
    stream[o] = adu(bias, variance, light[s] * rowLight + dark, NORMAL[highField(state)]);
    if (s + 1 < to) stream[o + stride] = adu(bias, variance, light[s + 1] * rowLight + dark, NORMAL[lowField(state)]);
  }
  return state;
}

// The helpers of the hot loops are module-level consts rather than function declarations: V8
// inlines both, but re-checks a function declaration's (mutable) binding on every call.

const xorshift32 = (state: number): number => {
  state ^= state << 13;
  state ^= state >>> 17;
  return state ^ (state << 5);
};

/** The two 12-bit fields of a generator state that index NORMAL: bits 31..20, then 19..8. */
const highField = (state: number): number => state >>> NORMAL_SHIFT;
const lowField = (state: number): number => (state >>> (NORMAL_SHIFT - NORMAL_BITS)) & NORMAL_MASK;

/** A pixel value: never below 0 (bias ~1000, noise < 4 sigma), saturating at 65535. */
const adu = (bias: number, variance: number, signal: number, normal: number): number => {
  const v = bias + signal + Math.sqrt(variance + signal) * normal;
  return v > 65535 ? 65535 : v;
};

/** Adds ADU to an imaging pixel (0-based detector coordinates), saturating at 65535. */
function deposit(stream: Uint16Array, g: DetectorGeometry, x: number, y: number, adu: number): void {
  if (x < 0 || y < 0 || x >= g.width || y >= g.height) return;
  const k = detectorStreamIndex(g, x, y);
  stream[k] = Math.min(65535, stream[k] + adu);
}

function addStars(stream: Uint16Array, g: DetectorGeometry, exposureTime: number, random: () => number): void {
  const count = Math.max(3, Math.round((STARS_PER_4K * g.width * g.height) / 4096 ** 2));
  for (let i = 0; i < count; i++) {
    const cx = random() * g.width;
    const cy = random() * g.height;
    const sigma = 1.2 + random();
    const flux = exposureTime * 10 ** (3 + 2.5 * random());
    const r = Math.ceil(4 * sigma);
    const norm = flux / (2 * Math.PI * sigma * sigma);
    for (let y = Math.floor(cy) - r; y <= Math.floor(cy) + r; y++) {
      for (let x = Math.floor(cx) - r; x <= Math.floor(cx) + r; x++) {
        const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
        deposit(stream, g, x, y, Math.round(norm * Math.exp(-d2 / (2 * sigma * sigma))));
      }
    }
  }
}

/** Short straight tracks of a few hundred to a few thousand ADU per pixel. */
function addCosmicRays(stream: Uint16Array, g: DetectorGeometry, exposureTime: number, random: () => number): void {
  const count = Math.round((COSMIC_RATE * (Math.max(0, exposureTime) + 1) * g.width * g.height) / 1e6);
  for (let i = 0; i < count; i++) {
    const angle = random() * 2 * Math.PI;
    const length = 1 + Math.floor(random() * 10);
    let x = random() * g.width;
    let y = random() * g.height;
    for (let j = 0; j < length; j++) {
      deposit(stream, g, Math.floor(x), Math.floor(y), 300 + Math.floor(random() * 3000));
      x += Math.cos(angle);
      y += Math.sin(angle);
    }
  }
}

/** A non-zero xorshift32 state from any seed. */
function seedState(seed: number): number {
  const state = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0x2545f491;
  return state === 0 ? 1 : state;
}

/** Uniform [0, 1) generator for the sparse parts (stars, cosmic rays). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal quantiles at (i + 0.5) / 4096, indexed by a generator's top 12 bits: N(0,1)
 * to 3.5 sigma, small enough to stay in L1 cache.
 */
const NORMAL_BITS = 12;
const NORMAL_SHIFT = 32 - NORMAL_BITS;
const NORMAL_MASK = (1 << NORMAL_BITS) - 1;
const NORMAL = Float32Array.from({ length: 1 << NORMAL_BITS }, (_, i) => normalQuantile((i + 0.5) / (1 << NORMAL_BITS)));

/** Where AmpNoise.lookup's two tables start. */
const BIAS_TABLE = 0;
const DARK_TABLE = NORMAL.length;

/** Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
