/**
 * Detector geometry: the imaging area, its amplifiers (where each sits, which corner it reads
 * toward), the prescan/overscan each amp reads around its data, presets, and the region of
 * interest with binning. Pure data and arithmetic, no I/O.
 *
 * Coordinates: "detector" pixels are 1-based in ROIs and FITS sections (like azcam and IRAF) and
 * 0-based in arrays. An amp's raw image is (prescan + ampWidth + overscanCols) x
 * (ampHeight + overscanRows) pixels; "readout order" is the order the amp shifts them out, starting
 * at its output corner; "detector orientation" is that image flipped so x and y grow as on the
 * detector (an amp that reads toward high x has its prescan on the right, its overscan on the left).
 */
import { InvalidArgumentError } from '../errors.js';

export interface Amplifier {
  /** 0-based amp number, also its slot in the interleaved stream; the MEF extension is im<index+1>. */
  index: number;
  /** Place in the amp grid, 0-based from the detector's lower-left corner. */
  gridX: number;
  gridY: number;
  /** Reads toward high x: its output is at the right edge of its section. */
  flipX: boolean;
  /** Reads toward high y: its output is at the top edge of its section. */
  flipY: boolean;
}

export interface DetectorGeometry {
  name: string;
  /** Imaging pixels of the whole detector. */
  width: number;
  height: number;
  ampsX: number;
  ampsY: number;
  /** Imaging pixels per amp. */
  ampWidth: number;
  ampHeight: number;
  /** Serial prescan pixels, read before each row's data. */
  prescan: number;
  /** Serial overscan pixels, read after each row's data. */
  overscanCols: number;
  /** Parallel overscan rows, read after the data rows. */
  overscanRows: number;
  /** In stream order; amps[i].index === i. */
  amps: Amplifier[];
}

export interface DetectorSpec {
  name: string;
  width: number;
  height: number;
  /** 1, 2, 4, 8 or 16 (laid out by AMP_GRIDS), unless `grid` gives the layout. */
  amps: number;
  grid?: [number, number];
  prescan: number;
  overscanCols: number;
  overscanRows: number;
}

/** A 0-based rectangle in an image. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each part of an amp's raw image lies, in detector orientation. */
export interface AmpRegions {
  data: Rect;
  prescan: Rect;
  /** The serial overscan columns over all raw rows. */
  serialOverscan: Rect;
  /** The parallel overscan rows over all raw columns. */
  parallelOverscan: Rect;
}

/** Region of interest and binning, as azcam's `get_roi`: 1-based inclusive detector pixels. */
export interface Roi {
  firstCol: number;
  lastCol: number;
  firstRow: number;
  lastRow: number;
  colBin: number;
  rowBin: number;
}

/** Amp grids (across, up) for the supported amp counts. */
export const AMP_GRIDS: Readonly<Record<number, readonly [number, number]>> = {
  1: [1, 1],
  2: [2, 1],
  4: [2, 2],
  8: [4, 2],
  16: [8, 2],
};

export const PRESETS = {
  /** ITL STA3800-like 4k x 4k, 16 amps of 512 x 2048 (8 across, 2 up). The default. */
  itl4k: { name: 'itl4k', width: 4096, height: 4096, amps: 16, prescan: 3, overscanCols: 32, overscanRows: 16 },
  /** STA 2k x 2k read through one amp. */
  sta2k: { name: 'sta2k', width: 2048, height: 2048, amps: 1, prescan: 4, overscanCols: 32, overscanRows: 0 },
  /** Mosaic-size 10560 x 10560, 16 amps of 2640 x 2640 in a 4 x 4 grid. */
  mosaic10k: {
    name: 'mosaic10k', width: 10560, height: 10560, amps: 16, grid: [4, 4],
    prescan: 8, overscanCols: 32, overscanRows: 32,
  },
} as const satisfies Record<string, DetectorSpec>;

export type PresetName = keyof typeof PRESETS;
export const DEFAULT_PRESET: PresetName = 'itl4k';

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** A preset's geometry, optionally read through a different number of amps. */
export function presetGeometry(name: string = DEFAULT_PRESET, amps?: number): DetectorGeometry {
  if (!isPresetName(name)) {
    throw new InvalidArgumentError(`unknown detector: ${name} (known: ${Object.keys(PRESETS).join(', ')})`);
  }
  const spec: DetectorSpec = { ...PRESETS[name] };
  if (amps !== undefined && amps !== spec.amps) {
    spec.amps = amps;
    delete spec.grid;
  }
  return makeGeometry(spec);
}

/** The amp grid for a supported amp count. */
export function ampGrid(count: number): [number, number] {
  const grid = AMP_GRIDS[count];
  if (!grid) throw new InvalidArgumentError(`unsupported amplifier count: ${count} (use 1, 2, 4, 8 or 16)`);
  return [grid[0], grid[1]];
}

/**
 * Amps in row-major order from the lower-left. Each reads toward its nearest detector edge: amps
 * in the right half flip x, amps in the top half flip y.
 */
export function ampLayout(ampsX: number, ampsY: number): Amplifier[] {
  const amps: Amplifier[] = [];
  for (let gridY = 0; gridY < ampsY; gridY++) {
    for (let gridX = 0; gridX < ampsX; gridX++) {
      amps.push({
        index: amps.length,
        gridX,
        gridY,
        flipX: ampsX > 1 && gridX >= ampsX / 2,
        flipY: ampsY > 1 && gridY >= ampsY / 2,
      });
    }
  }
  return amps;
}

export function makeGeometry(spec: DetectorSpec): DetectorGeometry {
  const [ampsX, ampsY] = spec.grid ?? ampGrid(spec.amps);
  if (ampsX * ampsY !== spec.amps) {
    throw new InvalidArgumentError(`amp grid ${ampsX}x${ampsY} does not hold ${spec.amps} amps`);
  }
  if (spec.width % ampsX !== 0 || spec.height % ampsY !== 0) {
    throw new InvalidArgumentError(`${spec.width}x${spec.height} does not divide into ${ampsX}x${ampsY} amps`);
  }
  return {
    name: spec.name,
    width: spec.width,
    height: spec.height,
    ampsX,
    ampsY,
    ampWidth: spec.width / ampsX,
    ampHeight: spec.height / ampsY,
    prescan: spec.prescan,
    overscanCols: spec.overscanCols,
    overscanRows: spec.overscanRows,
    amps: ampLayout(ampsX, ampsY),
  };
}

/** Pixels per raw amp row, prescan and overscan included. */
export function rawWidth(g: DetectorGeometry): number {
  return g.prescan + g.ampWidth + g.overscanCols;
}

/** Raw amp rows, parallel overscan included. */
export function rawHeight(g: DetectorGeometry): number {
  return g.ampHeight + g.overscanRows;
}

/** Length of the interleaved raw stream: every amp's raw image. */
export function rawPixelCount(g: DetectorGeometry): number {
  return rawWidth(g) * rawHeight(g) * g.amps.length;
}

export function ampRegions(g: DetectorGeometry, amp: Amplifier): AmpRegions {
  const width = rawWidth(g);
  const height = rawHeight(g);
  const dataX = amp.flipX ? g.overscanCols : g.prescan;
  const dataY = amp.flipY ? g.overscanRows : 0;
  return {
    data: { x: dataX, y: dataY, width: g.ampWidth, height: g.ampHeight },
    prescan: { x: amp.flipX ? dataX + g.ampWidth : 0, y: 0, width: g.prescan, height },
    serialOverscan: { x: amp.flipX ? 0 : dataX + g.ampWidth, y: 0, width: g.overscanCols, height },
    parallelOverscan: { x: 0, y: amp.flipY ? 0 : g.ampHeight, width, height: g.overscanRows },
  };
}

/** 0-based detector pixel of the amp's lower-left data pixel. */
export function ampOrigin(g: DetectorGeometry, amp: Amplifier): { x: number; y: number } {
  return { x: amp.gridX * g.ampWidth, y: amp.gridY * g.ampHeight };
}

/**
 * Index in the interleaved stream of the pixel at (x, y) of an amp's raw image (detector
 * orientation, 0-based): the amp reads pixel s of row p as the (p * rawWidth + s)-th of its own,
 * and the controller sends pixel i of every amp before pixel i + 1 of any.
 */
export function streamIndex(g: DetectorGeometry, amp: Amplifier, x: number, y: number): number {
  const width = rawWidth(g);
  const s = amp.flipX ? width - 1 - x : x;
  const p = amp.flipY ? rawHeight(g) - 1 - y : y;
  return (p * width + s) * g.amps.length + amp.index;
}

/** Stream index of a 0-based detector (imaging) pixel. */
export function detectorStreamIndex(g: DetectorGeometry, x: number, y: number): number {
  return imagingStreamIndex(g, x, y, (amp) => ampRegions(g, amp).data);
}

/** detectorStreamIndex for many pixels of one geometry: each amp's data region is looked up once. */
export function detectorStreamIndexer(g: DetectorGeometry): (x: number, y: number) => number {
  const data = g.amps.map((amp) => ampRegions(g, amp).data);
  return (x, y) => imagingStreamIndex(g, x, y, (amp) => data[amp.index]);
}

function imagingStreamIndex(g: DetectorGeometry, x: number, y: number, dataOf: (amp: Amplifier) => Rect): number {
  const gridX = Math.floor(x / g.ampWidth);
  const gridY = Math.floor(y / g.ampHeight);
  const amp = g.amps[gridY * g.ampsX + gridX];
  const data = dataOf(amp);
  return streamIndex(g, amp, data.x + x - gridX * g.ampWidth, data.y + y - gridY * g.ampHeight);
}

export function fullRoi(g: DetectorGeometry): Roi {
  return { firstCol: 1, lastCol: g.width, firstRow: 1, lastRow: g.height, colBin: 1, rowBin: 1 };
}

/** Pixels in the binned region of interest. */
export function roiPixelCount(roi: Roi): number {
  const columns = Math.floor((roi.lastCol - roi.firstCol + 1) / roi.colBin);
  const rows = Math.floor((roi.lastRow - roi.firstRow + 1) / roi.rowBin);
  return columns * rows;
}

/** azcam's order: first col, last col, first row, last row, col bin, row bin. */
export function roiToArray(roi: Roi): number[] {
  return [roi.firstCol, roi.lastCol, roi.firstRow, roi.lastRow, roi.colBin, roi.rowBin];
}

/** Throws InvalidArgumentError unless the ROI lies on the detector and the binning fits in it. */
export function validateRoi(g: DetectorGeometry, roi: Roi): void {
  const { firstCol, lastCol, firstRow, lastRow, colBin, rowBin } = roi;
  const corners = [firstCol, lastCol, firstRow, lastRow];
  const text = `${corners.join(' ')} (detector is 1 ${g.width} 1 ${g.height})`;
  if (!corners.every(Number.isInteger)) throw new InvalidArgumentError(`ROI must be integers: ${text}`);
  if (firstCol < 1 || lastCol > g.width || firstRow < 1 || lastRow > g.height) {
    throw new InvalidArgumentError(`ROI out of range: ${text}`);
  }
  if (firstCol > lastCol || firstRow > lastRow) throw new InvalidArgumentError(`ROI is empty: ${text}`);
  for (const [what, bin] of [['colbin', colBin], ['rowbin', rowBin]] as const) {
    if (!Number.isInteger(bin) || bin < 1) {
      throw new InvalidArgumentError(`invalid binning: ${what} ${bin} (must be an integer >= 1)`);
    }
  }
  if (colBin > lastCol - firstCol + 1 || rowBin > lastRow - firstRow + 1) {
    throw new InvalidArgumentError(`binning ${colBin}x${rowBin} is larger than the ROI: ${text}`);
  }
}
