/**
 * The header cards the readout adds to the exposure's own: geometry (sections, coordinate
 * mappings, binning, amps), calibration (unit, gain, read noise, saturation), processing and
 * statistics. The exposure's snapshot comes first; a keyword set here replaces the snapshot's
 * card of the same name.
 */
import { ampMappings, assemblyMappings, type AxisMapping, type CoordinateMappings } from './coordinates.js';
import { isCalibrationKeyword } from './fits-keywords.js';
import { fitsFloat, type FitsFloat, type HeaderCard } from './fits.js';
import type { DetectorGeometry } from './geometry.js';
import { ampElectronics, GAIN } from './simulate.js';
import { ampSections, assemblySections, detsize, type AmpPlan, type AssemblyPlan } from './sections.js';
import { pooledStats, type AmpStats } from './stats.js';
import type { BiasSubtraction } from './overscan.js';

/** `base` without the keywords `extra` sets, then `extra`. */
export function mergeCards(base: readonly HeaderCard[], extra: HeaderCard[]): HeaderCard[] {
  const keys = new Set(extra.filter((c) => c.value !== undefined).map((c) => c.key));
  return [...base.filter((c) => c.value === undefined || !keys.has(c.key)), ...extra];
}

/** The primary header of a MEF file. */
export function mefPrimaryCards(snapshot: readonly HeaderCard[], g: DetectorGeometry, colBin: number, rowBin: number, mode: BiasSubtraction): HeaderCard[] {
  return mergeCards(snapshot, [
    { key: 'DETSIZE', value: detsize(g), comment: 'detector size (unbinned pixels)' },
    { key: 'NAMPS', value: g.amps.length, comment: 'amplifiers read' },
    ...processingCards(colBin, rowBin, mode),
  ]);
}

/** An amp's extension header (the exposure's snapshot decides which calibration cards are ours). */
export function extensionCards(
  g: DetectorGeometry,
  plan: AmpPlan,
  stats: AmpStats,
  mode: BiasSubtraction,
  snapshot: readonly HeaderCard[],
): HeaderCard[] {
  const n = plan.amp.index + 1;
  return [
    { key: 'EXTNAME', value: `im${n}`, comment: 'extension name' },
    { key: 'IMAGEID', value: n, comment: 'amplifier number' },
    { key: 'INHERIT', value: true, comment: 'inherit the primary header' },
    { key: 'CCDNAME', value: CCD_NAME, comment: 'CCD name' },
    { key: 'AMPNAME', value: `amp${n}`, comment: 'amplifier name' },
    ...sectionCards(ampSections(g, plan)),
    ...mappingCards(ampMappings(g, plan)),
    ...processingCards(plan.colBin, plan.rowBin, mode),
    ...calibrationCards(snapshot, ampElectronics(plan.amp.index).readNoise, saturation(mode, [stats], plan.colBin, plan.rowBin)),
    { key: 'BIASMEAN', value: float(stats.biasLevel), comment: 'overscan bias level (ADU)' },
    { key: 'BIASRMS', value: float(stats.biasNoise), comment: 'overscan rms (ADU)' },
    ...dataCards(stats.mean, stats.stddev),
  ];
}

/** The single header of an assembled image. */
export function assembledCards(
  snapshot: readonly HeaderCard[],
  g: DetectorGeometry,
  plan: AssemblyPlan,
  stats: AmpStats[],
  mode: BiasSubtraction,
): HeaderCard[] {
  const pooled = pooledStats(stats);
  const readNoise = stats.reduce((sum, amp) => sum + ampElectronics(amp.amp - 1).readNoise, 0) / stats.length;
  return mergeCards(snapshot, [
    { key: 'CCDNAME', value: CCD_NAME, comment: 'CCD name' },
    ...sectionCards(assemblySections(g, plan)),
    ...mappingCards(assemblyMappings(plan)),
    { key: 'NAMPS', value: g.amps.length, comment: 'amplifiers read' },
    ...processingCards(plan.colBin, plan.rowBin, mode),
    ...calibrationCards(snapshot, readNoise, saturation(mode, stats, plan.colBin, plan.rowBin)),
    ...dataCards(pooled.mean, pooled.stddev),
  ]);
}

/** azcam's name for the one CCD of a single-CCD detector. */
const CCD_NAME = 'ccd1';
/** The largest value the 16-bit ADC gives. */
const ADC_MAX = 65535;

/**
 * The value in the file at which a pixel is saturated: the ADC's top for raw data (binned sums are
 * clipped there); with the bias subtracted, what is left above the highest amp's bias, times
 * the pixels a bin sums.
 */
function saturation(mode: BiasSubtraction, stats: readonly AmpStats[], colBin: number, rowBin: number): number {
  if (mode === 'none') return ADC_MAX;
  const highestBias = Math.max(...stats.map((amp) => amp.biasLevel));
  return Math.floor(ADC_MAX - highestBias) * colBin * rowBin;
}

/**
 * Unit, gain, read noise and saturation: the simulated electronics' values (a real controller has
 * its own), each only where the exposure's header does not already give one.
 */
function calibrationCards(snapshot: readonly HeaderCard[], readNoise: number, saturate: number): HeaderCard[] {
  const given = new Set(snapshot.filter((card) => isCalibrationKeyword(card.key)).map((card) => card.key));
  const cards: HeaderCard[] = [
    { key: 'BUNIT', value: 'ADU', comment: 'physical unit of array values' },
    { key: 'GAIN', value: fitsFloat(GAIN), comment: 'amplifier gain (e-/ADU)' },
    { key: 'RDNOISE', value: float(readNoise * GAIN), comment: 'amplifier read noise (e-)' },
    { key: 'SATURATE', value: saturate, comment: 'saturation level in this image (ADU)' },
  ];
  return cards.filter((card) => !given.has(card.key));
}

const MAPPING_COMMENTS = {
  image: 'CCD to image transformation',
  amplifier: 'CCD to amplifier transformation',
  detector: 'CCD to detector transformation',
};

/** LTM/LTV, ATM/ATV and DTM/DTV: the mappings of coordinates.ts. */
function mappingCards(mappings: CoordinateMappings): HeaderCard[] {
  return [
    ...axisCards('LTM', 'LTV', mappings.image, MAPPING_COMMENTS.image, fitsFloat),
    ...(mappings.amplifier ? axisCards('ATM', 'ATV', mappings.amplifier, MAPPING_COMMENTS.amplifier) : []),
    ...axisCards('DTM', 'DTV', mappings.detector, MAPPING_COMMENTS.detector),
  ];
}

function axisCards(
  matrix: string,
  vector: string,
  [x, y]: [AxisMapping, AxisMapping],
  comment: string,
  value: (n: number) => number | FitsFloat = (n) => n,
): HeaderCard[] {
  return [
    { key: `${matrix}1_1`, value: value(x.scale), comment },
    { key: `${matrix}2_2`, value: value(y.scale), comment },
    { key: `${vector}1`, value: value(x.offset), comment },
    { key: `${vector}2`, value: value(y.offset), comment },
  ];
}

const SECTION_COMMENTS: Record<string, string> = {
  DETSIZE: 'detector size (unbinned pixels)',
  CCDSEC: 'CCD section of the data (unbinned)',
  AMPSEC: 'amplifier section of the data (unbinned)',
  DATASEC: 'data section of this image',
  BIASSEC: 'serial overscan section of this image',
  PBIASSEC: 'parallel overscan section of this image',
  DETSEC: 'detector section of the data (unbinned)',
};

function sectionCards(sections: Record<string, string | undefined>): HeaderCard[] {
  return Object.entries(sections)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ({ key, value, comment: SECTION_COMMENTS[key] }));
}

function processingCards(colBin: number, rowBin: number, mode: BiasSubtraction): HeaderCard[] {
  return [
    { key: 'CCDSUM', value: `${colBin} ${rowBin}`, comment: 'column and row binning' },
    { key: 'BIASSUB', value: mode, comment: 'overscan bias subtraction (none, row, amp)' },
  ];
}

function dataCards(mean: number, stddev: number): HeaderCard[] {
  return [
    { key: 'DATAMEAN', value: float(mean), comment: 'mean of the data (ADU)' },
    { key: 'DATASTD', value: float(stddev), comment: 'standard deviation of the data (ADU)' },
  ];
}

/** Rounded to 0.001 and always written as a float. */
function float(value: number): FitsFloat {
  return fitsFloat(Math.round(value * 1000) / 1000);
}
