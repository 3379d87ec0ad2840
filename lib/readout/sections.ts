/**
 * What each output image holds and where it came from: per-amp (MEF) and assembled output plans
 * for a ROI and binning, and their FITS section keywords after the IRAF/NOAO mosaic conventions:
 * 1-based `[x1:x2,y1:y2]`; DATASEC, BIASSEC (serial overscan) and PBIASSEC (parallel overscan,
 * under the data columns) in (binned) pixels of the image they describe;
 * DETSIZE, DETSEC and CCDSEC in unbinned detector pixels (the detector is one CCD, so CCDSEC =
 * DETSEC); AMPSEC in unbinned amplifier pixels counted from the amp's output corner, so it runs
 * backwards (x1 > x2) along an axis where the amp reads toward high detector coordinates.
 */
import { ampOrigin, ampRegions, type Amplifier, type DetectorGeometry, type Rect, type Roi } from './geometry.js';

/** 1-D piece of an output image: `length` source pixels from `src`, binned into `binned` at `dst`. */
export interface Segment {
  src: number;
  length: number;
  dst: number;
  binned: number;
}

/** 1-based inclusive detector pixels. */
export interface DetectorSpan {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** One amp's output image in a MEF file. Source coordinates are in its raw amp image. */
export interface AmpPlan {
  amp: Amplifier;
  /** Binned output size. */
  width: number;
  height: number;
  /** The output is the product of these, in detector order (left to right, bottom to top). */
  cols: Segment[];
  rows: Segment[];
  dataCols: Segment;
  dataRows: Segment;
  /** The serial overscan columns kept in the output (untrimmed output only). */
  biasCols?: Segment;
  /** The parallel overscan rows kept in the output (untrimmed output only). */
  biasRows?: Segment;
  /** Detector pixels the output's data covers. */
  detector: DetectorSpan;
  colBin: number;
  rowBin: number;
}

/** One amp's share of an assembled image: `src` of its raw image goes to (dstX, dstY), unbinned. */
export interface AssemblyPiece {
  amp: Amplifier;
  src: Rect;
  dstX: number;
  dstY: number;
}

/** An assembled image: pieces fill a width x height unbinned ROI image, then it is binned. */
export interface AssemblyPlan {
  width: number;
  height: number;
  binnedWidth: number;
  binnedHeight: number;
  pieces: AssemblyPiece[];
  detector: DetectorSpan;
  colBin: number;
  rowBin: number;
}

export type Sections = Record<'DETSIZE' | 'CCDSEC' | 'AMPSEC' | 'DATASEC' | 'DETSEC', string> & { BIASSEC?: string; PBIASSEC?: string };

export function section(x1: number, x2: number, y1: number, y2: number): string {
  return `[${x1}:${x2},${y1}:${y2}]`;
}

export function detsize(g: DetectorGeometry): string {
  return section(1, g.width, 1, g.height);
}

/** The part of an amp's data inside the ROI, in detector pixels, or undefined if none. */
export function ampRoiSpan(g: DetectorGeometry, roi: Roi, amp: Amplifier): DetectorSpan | undefined {
  const origin = ampOrigin(g, amp);
  const x1 = Math.max(origin.x + 1, roi.firstCol);
  const x2 = Math.min(origin.x + g.ampWidth, roi.lastCol);
  const y1 = Math.max(origin.y + 1, roi.firstRow);
  const y2 = Math.min(origin.y + g.ampHeight, roi.lastRow);
  return x1 <= x2 && y1 <= y2 ? { x1, x2, y1, y2 } : undefined;
}

/**
 * Plans an amp's output: `trimmed` keeps only its data in the ROI, otherwise prescan and overscan
 * are kept around it where they lie. Each part is binned on its own (partial bins dropped).
 * Undefined when the amp has no whole bin inside the ROI.
 */
export function planAmp(g: DetectorGeometry, roi: Roi, amp: Amplifier, trimmed: boolean): AmpPlan | undefined {
  const span = ampRoiSpan(g, roi, amp);
  if (!span) return undefined;
  const origin = ampOrigin(g, amp);
  const regions = ampRegions(g, amp);
  const dataCols = piece(regions.data.x + span.x1 - 1 - origin.x, span.x2 - span.x1 + 1, roi.colBin);
  const dataRows = piece(regions.data.y + span.y1 - 1 - origin.y, span.y2 - span.y1 + 1, roi.rowBin);
  if (dataCols.binned === 0 || dataRows.binned === 0) return undefined;
  const prescan = piece(regions.prescan.x, regions.prescan.width, roi.colBin);
  const biasCols = piece(regions.serialOverscan.x, regions.serialOverscan.width, roi.colBin);
  const biasRows = piece(regions.parallelOverscan.y, regions.parallelOverscan.height, roi.rowBin);
  const cols = trimmed ? [dataCols] : place(amp.flipX ? [biasCols, dataCols, prescan] : [prescan, dataCols, biasCols]);
  const rows = trimmed ? [dataRows] : place(amp.flipY ? [biasRows, dataRows] : [dataRows, biasRows]);
  const detector = {
    x1: span.x1,
    x2: span.x1 + dataCols.length - 1,
    y1: span.y1,
    y2: span.y1 + dataRows.length - 1,
  };
  return {
    amp,
    width: total(cols),
    height: total(rows),
    cols,
    rows,
    dataCols,
    dataRows,
    ...(!trimmed && biasCols.binned > 0 ? { biasCols } : {}),
    ...(!trimmed && biasRows.binned > 0 ? { biasRows } : {}),
    detector,
    colBin: roi.colBin,
    rowBin: roi.rowBin,
  };
}

/** `length` pixels from `src`, cut to whole bins. */
function piece(src: number, length: number, bin: number): Segment {
  const binned = Math.floor(length / bin);
  return { src, length: binned * bin, dst: 0, binned };
}

/** Drops empty segments and lays the rest out one after another. */
function place(segments: Segment[]): Segment[] {
  let dst = 0;
  const kept = segments.filter((s) => s.binned > 0);
  for (const s of kept) {
    s.dst = dst;
    dst += s.binned;
  }
  return kept;
}

function total(segments: Segment[]): number {
  return segments.reduce((sum, s) => sum + s.binned, 0);
}

export function ampSections(g: DetectorGeometry, plan: AmpPlan): Sections {
  const { dataCols, dataRows, biasCols, biasRows, detector: d } = plan;
  const origin = ampOrigin(g, plan.amp);
  const ampX = (x: number): number => (plan.amp.flipX ? origin.x + g.ampWidth + 1 - x : x - origin.x);
  const ampY = (y: number): number => (plan.amp.flipY ? origin.y + g.ampHeight + 1 - y : y - origin.y);
  const dataX = [dataCols.dst + 1, dataCols.dst + dataCols.binned] as const;
  const dataY = [dataRows.dst + 1, dataRows.dst + dataRows.binned] as const;
  return {
    DETSIZE: detsize(g),
    CCDSEC: section(d.x1, d.x2, d.y1, d.y2),
    AMPSEC: section(ampX(d.x1), ampX(d.x2), ampY(d.y1), ampY(d.y2)),
    DATASEC: section(...dataX, ...dataY),
    ...(biasCols ? { BIASSEC: section(biasCols.dst + 1, biasCols.dst + biasCols.binned, ...dataY) } : {}),
    ...(biasRows ? { PBIASSEC: section(...dataX, biasRows.dst + 1, biasRows.dst + biasRows.binned) } : {}),
    DETSEC: section(d.x1, d.x2, d.y1, d.y2),
  };
}

/** The ROI assembled from every amp's data, binned over the whole ROI (partial bins dropped). */
export function planAssembly(g: DetectorGeometry, roi: Roi): AssemblyPlan {
  const pieces: AssemblyPiece[] = [];
  for (const amp of g.amps) {
    const span = ampRoiSpan(g, roi, amp);
    if (!span) continue;
    const origin = ampOrigin(g, amp);
    const { data } = ampRegions(g, amp);
    const src = {
      x: data.x + span.x1 - 1 - origin.x,
      y: data.y + span.y1 - 1 - origin.y,
      width: span.x2 - span.x1 + 1,
      height: span.y2 - span.y1 + 1,
    };
    pieces.push({ amp, src, dstX: span.x1 - roi.firstCol, dstY: span.y1 - roi.firstRow });
  }
  const width = roi.lastCol - roi.firstCol + 1;
  const height = roi.lastRow - roi.firstRow + 1;
  const binnedWidth = Math.floor(width / roi.colBin);
  const binnedHeight = Math.floor(height / roi.rowBin);
  const detector = {
    x1: roi.firstCol,
    x2: roi.firstCol + binnedWidth * roi.colBin - 1,
    y1: roi.firstRow,
    y2: roi.firstRow + binnedHeight * roi.rowBin - 1,
  };
  return { width, height, binnedWidth, binnedHeight, pieces, detector, colBin: roi.colBin, rowBin: roi.rowBin };
}

export function assemblySections(g: DetectorGeometry, plan: AssemblyPlan): Omit<Sections, 'AMPSEC'> {
  const d = plan.detector;
  return {
    DETSIZE: detsize(g),
    CCDSEC: section(d.x1, d.x2, d.y1, d.y2),
    DATASEC: section(1, plan.binnedWidth, 1, plan.binnedHeight),
    DETSEC: section(d.x1, d.x2, d.y1, d.y2),
  };
}
