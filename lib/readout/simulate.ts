/**
 * The simulated controller's raw readout: one uint16 stream with every amp's pixels interleaved
 * (pixel i of amp 0, pixel i of amp 1, ..., each amp in its own readout order, prescan and
 * overscan included), as a multi-output CCD controller delivers it.
 *
 * Signal model (ADU, gain 1 e-/ADU): per-amp bias level and read noise (ampElectronics); dark
 * current times exposure time in imaging pixels; with the shutter open, a flat field (vignetting
 * times a per-amp response) at FLAT_LEVEL for flats, or at SKY_RATE * exposure time plus a few
 * gaussian stars for other frames; cosmic rays in every frame; shot noise on the dark, sky and
 * flat signal. Exact for a given seed. The gaussian noise is read from a table of normal deviates
 * made once per thread (see fillNoise), so a pixel costs a copy, or a multiply and an add (and a
 * sqrt where the signal varies). The per-pixel loops are kernels (permuted16, noise16, lit16 in
 * kernels.wat), so the stream and the tables are in a kernel arena.
 */
import {
  ampOrigin,
  ampRegions,
  detectorStreamIndex,
  rawHeight,
  rawPixelCount,
  rawWidth,
  type DetectorGeometry,
} from './geometry.js';
import type { StepFn } from './control.js';
import { KernelArena, roundUp, type ArenaLayout } from './kernels.js';

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

/** The arena work bytes simulating `g` takes: the noise and bias rows tables, the deviates row, the row tables, the light and lit16's patterns. */
export function simulationTableBytes(g: DetectorGeometry): number {
  return tableLayout(g).bytes;
}

/**
 * The raw stream, written into arena.stream (rawPixelCount long, every element overwritten) of
 * `arena` if given (its work region at least simulationTableBytes long, for the tables), else into a fresh arena's.
 */
export function simulateReadout(g: DetectorGeometry, params: SimulationParams, step?: StepFn, arena?: ArenaLayout): Uint16Array {
  const memory = arena ?? KernelArena.fresh({ amps: g.amps.length, workBytes: simulationTableBytes(g), pixels: rawPixelCount(g), fileBytes: 0 });
  const { stream, work } = memory;
  if (stream.length !== rawPixelCount(g)) throw new RangeError(`simulateReadout: the stream has ${stream.length} pixels, needs ${rawPixelCount(g)}`);
  if (work.length < simulationTableBytes(g)) throw new RangeError(`simulateReadout: the work region has ${work.length} bytes, the tables need ${simulationTableBytes(g)}`);
  const light = lightLevel(params);
  const dark = darkTime(params) * DARK_CURRENT;
  fillNoise(memory, g, light, dark, params.seed, step);
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
 * The bulk of the frame: bias + light + dark + gaussian read and shot noise, row by row.
 *
 * An amp reads every row as prescan, data, serial overscan, and every amp reads its data rows
 * first; so a stream row is uniform but for the lit data pixels: its pixels' mean level and noise
 * (bias, or bias + dark in the data columns of data rows) are one of two row tables, and noise16
 * makes the whole row from them, eight pixels at a time. Lit data pixels are then made by lit16,
 * four at a time (all amps' data columns are side by side in the stream), with the per-pixel
 * shot noise and its square root, each amp's light level, bias and read noise from small
 * patterns (LitPatterns). Both take a pixel's gaussian deviate from the row's window of the
 * noise table, read in an order of the row's own (rowNoise).
 *
 * The windows start at whole stream columns (n pixels), so a bias row is the same at every place
 * but for its deviates: noise16 makes the bias row at every place at once (the bias rows table),
 * and a row that is bias but for lit pixels (dark 0, or lit16 to follow) is copied out of that
 * table (permuted16). A row with lit pixels or dark current gathers its deviates the same way
 * (into the deviates row), for lit16 or noise16.
 */
function fillNoise(arena: ArenaLayout, g: DetectorGeometry, light: number, dark: number, seed: number, step?: StepFn): void {
  const width = rawWidth(g);
  const height = rawHeight(g);
  const n = g.amps.length;
  const dataFrom = g.prescan;
  const dataTo = g.prescan + g.ampWidth;
  const tables = writeTables(arena, g, dark);
  const rows = rowNoise(height, n, width, seed);
  const amps = g.amps.map((amp) => ({ flipY: amp.flipY, dataY: amp.flipY ? g.overscanRows : 0, originY: ampOrigin(g, amp).y }));
  const { noise16, permuted16, lit16 } = arena.kernels;
  const first = dataFrom * n; // the row's first lit pixel

  // Stream row p out of its window of `table` (the noise table or the bias rows table), to dst.
  const permuted = (dst: number, table: number, p: number): void =>
    permuted16(dst, table + 2 * rows.offsets[p]!, width * n, rows.unit, rows.multipliers[p]!, rows.rotations[p]!, rows.mask);
  for (let p = 0; p < height; p++) {
    step?.(p);
    const imaging = p < g.ampHeight; // every amp reads its data rows first
    const row = arena.stream.byteOffset + 2 * p * width * n; // amp a's readout column s is at row + 2 * (s * n + a)
    const lit = imaging && light > 0;
    const darkOnly = imaging && !lit && dark > 0;
    if (lit || darkOnly) permuted(tables.deviates, tables.noise, p);
    if (darkOnly) noise16(row, width * n, tables.dataRow.levels, tables.dataRow.scales, tables.deviates);
    else permuted(row, tables.biasRows, p);
    if (!lit) continue;
    tables.patterns.setRowLight((a) => {
      const amp = amps[a]!;
      return light * vignette(amp.originY + (amp.flipY ? height - 1 - p : p) - amp.dataY, g.height);
    });
    lit16(row + 2 * first, (dataTo - dataFrom) * n, first, tables.light + 4 * first, tables.deviates + 2 * first, tables.patterns.at, tables.patterns.period, dark, 1 / NOISE_UNIT);
  }
  step?.(height);
}

/** An amp's mean level (bias + signal + 0.5, so that truncation rounds) and noise variance (read noise^2 + signal), ADU. */
function ampNoise(index: number, signal: number): { level: number; variance: number } {
  const { bias, readNoise } = ampElectronics(index);
  return { level: bias + 0.5 + signal, variance: readNoise ** 2 + signal };
}

/** The simulation's tables start on a whole vector (v128) each. */
const V128_BYTES = 16;

/** Where the simulation's tables are in the arena's work region (bytes from its start). */
function tableLayout(g: DetectorGeometry) {
  const rowPixels = rawWidth(g) * g.amps.length;
  const windowPixels = windowUnits(rowPixels, noiseUnit(g.amps.length)) * noiseUnit(g.amps.length);
  const noiseBytes = roundUp((NOISE_ENTRIES + windowPixels) * Int16Array.BYTES_PER_ELEMENT, V128_BYTES);
  const biasRows = noiseBytes;
  const deviates = biasRows + noiseBytes;
  const rows = deviates + roundUp(rowPixels * Int16Array.BYTES_PER_ELEMENT, V128_BYTES);
  const rowBytes = roundUp(rowPixels * Float32Array.BYTES_PER_ELEMENT, V128_BYTES);
  const light = rows + 4 * rowBytes;
  const patterns = light + rowBytes;
  const period = Math.max(4, g.amps.length);
  return { rowPixels, windowPixels, biasRows, deviates, rows, rowBytes, light, patterns, period, bytes: patterns + PATTERNS * 2 * period * Float32Array.BYTES_PER_ELEMENT };
}

/** One row table: per stream pixel, its mean level and its noise scale (noise sd / NOISE_UNIT), float32, by address. */
interface RowTable {
  levels: number;
  scales: number;
}

/**
 * Writes every table into the arena's work region; returns their addresses. The noise table is
 * followed by a copy of its first window's worth, so that a window starting anywhere in it reads
 * on; the bias rows table is as long, its pixel i the bias row's pixel i % rowPixels with deviate i.
 */
function writeTables(arena: ArenaLayout, g: DetectorGeometry, dark: number) {
  const at = tableLayout(g);
  const { buffer, byteOffset: base } = arena.work;
  const noise = new Int16Array(buffer, base, NOISE_ENTRIES + at.windowPixels);
  noise.set(noiseTable());
  noise.copyWithin(NOISE_ENTRIES, 0, at.windowPixels);
  const row = (index: number): RowTable => ({ levels: base + at.rows + 2 * index * at.rowBytes, scales: base + at.rows + (2 * index + 1) * at.rowBytes });
  const biasRow = row(0);
  const dataRow = row(1);
  writeRowTable(arena, g, biasRow, 0);
  writeRowTable(arena, g, dataRow, dark);
  writeLight(new Float32Array(buffer, base + at.light, at.rowPixels), g);
  for (let from = 0; from < noise.length; from += at.rowPixels) {
    arena.kernels.noise16(base + at.biasRows + 2 * from, Math.min(at.rowPixels, noise.length - from), biasRow.levels, biasRow.scales, base + 2 * from);
  }
  const patterns = new LitPatterns(new Float32Array(buffer, base + at.patterns, PATTERNS * 2 * at.period), g.amps.length);
  return { noise: base, biasRows: base + at.biasRows, deviates: base + at.deviates, biasRow, dataRow, light: base + at.light, patterns };
}

/** A row table: prescan and overscan at the bias, data columns with `signal` added (and its shot noise). */
function writeRowTable(arena: ArenaLayout, g: DetectorGeometry, table: RowTable, signal: number): void {
  const n = g.amps.length;
  const count = rawWidth(g) * n;
  const levels = new Float32Array(arena.work.buffer, table.levels, count);
  const scales = new Float32Array(arena.work.buffer, table.scales, count);
  const data = g.amps.map((amp) => ampNoise(amp.index, signal));
  const bias = g.amps.map((amp) => ampNoise(amp.index, 0));
  for (let k = 0; k < count; k++) {
    const s = Math.floor(k / n);
    const { level, variance } = (s >= g.prescan && s < g.prescan + g.ampWidth ? data : bias)[k % n];
    levels[k] = level;
    scales[k] = Math.sqrt(variance) / NOISE_UNIT;
  }
}

/** Per stream pixel of a row (readout column s of amp a at s n + a): the light factor of its column (0 off the imaging area). */
function writeLight(light: Float32Array, g: DetectorGeometry): void {
  const width = rawWidth(g);
  const n = g.amps.length;
  light.fill(0);
  for (const amp of g.amps) {
    const { data } = ampRegions(g, amp);
    const origin = ampOrigin(g, amp).x;
    const response = ampElectronics(amp.index).response;
    for (let s = 0; s < width; s++) {
      const x = amp.flipX ? width - 1 - s : s;
      if (x >= data.x && x < data.x + data.width) light[s * n + amp.index] = response * vignette(origin + x - data.x, g.width);
    }
  }
}

/** lit16's patterns: per amp, a row's light level, and the level and variance of its pixels before light. */
const PATTERNS = 3;

/**
 * lit16's patterns in the arena: value j of each, for j < 2 period, is amp j % n's (period a
 * multiple of n, four at least: lit16 reads four in a row from any place in the first period).
 */
class LitPatterns {
  readonly at: number;
  readonly period: number;

  constructor(
    private readonly values: Float32Array,
    private readonly n: number,
  ) {
    this.at = values.byteOffset;
    this.period = values.length / (2 * PATTERNS);
    this.#write(1, (a) => ampNoise(a, 0).level);
    this.#write(2, (a) => ampNoise(a, 0).variance);
  }

  /** The row's light level of each amp. */
  setRowLight(light: (amp: number) => number): void {
    this.#write(0, light);
  }

  #write(pattern: number, value: (amp: number) => number): void {
    const from = pattern * 2 * this.period;
    for (let j = 0; j < 2 * this.period; j++) this.values[from + j] = value(j % this.n);
  }
}

/**
 * The noise table: NOISE_ENTRIES standard normal deviates in units of 1 / NOISE_UNIT (int16, to
 * 4.9 sd), the normal quantiles of evenly spaced probabilities in a fixed shuffled order, so that
 * any run of it is a random sample. Made on first use, once per thread. An itl4k frame reads each
 * entry about 17 times, at unrelated places (rowNoise).
 */
const NOISE_ENTRIES = 1 << 20;
const NOISE_UNIT = 4096;
let noise: Int16Array | undefined;

function noiseTable(): Int16Array {
  if (noise) return noise;
  noise = new Int16Array(NOISE_ENTRIES);
  for (let i = 0; i < NOISE_ENTRIES; i++) noise[i] = Math.round(NOISE_UNIT * normalQuantile((i + 0.5) / NOISE_ENTRIES));
  return shuffle(noise, mulberry32(0x6e6f6973));
}

/** How each stream row reads the noise table: its window, and the order of the window's units. */
export interface RowNoise {
  /** Where each row's window starts: a whole stream column, in table entries. */
  offsets: Int32Array;
  /** Unit u of a row is unit (multiplier * u + rotation) & mask of its window. */
  multipliers: Int32Array;
  rotations: Int32Array;
  /** One less than the window's units, a power of two. */
  mask: number;
  /** Pixels a unit: whole stream columns, eight pixels at least (a v128). */
  unit: number;
}

/**
 * How each of `rows` stream rows of `n` amps and `columns` readout columns reads the noise table,
 * for a seed. The table's columns are cut into one stratum per row, dealt to the rows in a
 * shuffled order, each row's window starting at a random column of its stratum: no two rows of a
 * frame start at the same place. Windows overlap, so each row reads its window's units in an
 * order of its own: rows whose windows overlap are fewer strata apart than the multipliers take
 * to repeat (half a window), so their multipliers differ, and no row's noise is another's, shifted.
 */
export function rowNoise(rows: number, n: number, columns: number, seed: number): RowNoise {
  const unit = noiseUnit(n);
  const window = windowUnits(columns * n, unit);
  const stratum = Math.floor(NOISE_ENTRIES / n / rows);
  if (window * unit > NOISE_ENTRIES || n * stratum < 4 * unit) throw new RangeError(`simulate: ${rows} rows of ${columns} x ${n} pixels are too many for the noise table`);
  const random = mulberry32(seed);
  const order = shuffle(Int32Array.from({ length: rows }, (_, i) => i), random);
  return {
    offsets: order.map((s) => n * (s * stratum + Math.floor(random() * stratum))),
    multipliers: order.map((s) => 2 * (s % (window / 2)) + 1),
    rotations: order.map(() => Math.floor(random() * window)),
    mask: window - 1,
    unit,
  };
}

function noiseUnit(n: number): number {
  return Math.max(8, n);
}

/** A row's window of the noise table, in units: a power of two, at least the row's units (and 8). */
function windowUnits(rowPixels: number, unit: number): number {
  return Math.max(8, 2 ** Math.ceil(Math.log2(rowPixels / unit)));
}

/** Fisher-Yates, in place. */
function shuffle<T extends Int16Array | Int32Array>(values: T, random: () => number): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

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

/** Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p < ACKLAM_LOW) return acklamTail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - ACKLAM_LOW) return -acklamTail(Math.sqrt(-2 * Math.log(1 - p)));
  const a = ACKLAM_A;
  const b = ACKLAM_B;
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

function acklamTail(q: number): number {
  const c = ACKLAM_C;
  const d = ACKLAM_D;
  return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
}

const ACKLAM_LOW = 0.02425;
const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
