/**
 * The header cards the readout adds to the exposure's own: geometry (sections, binning, amps),
 * processing and statistics. The exposure's snapshot comes first; a keyword set here replaces
 * the snapshot's card of the same name.
 */
import { fitsFloat, type FitsFloat, type HeaderCard } from './fits.js';
import type { DetectorGeometry } from './geometry.js';
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

/** An amp's extension header. */
export function extensionCards(g: DetectorGeometry, plan: AmpPlan, stats: AmpStats, mode: BiasSubtraction): HeaderCard[] {
  const n = plan.amp.index + 1;
  return [
    { key: 'EXTNAME', value: `im${n}`, comment: 'extension name' },
    { key: 'IMAGEID', value: n, comment: 'amplifier number' },
    { key: 'INHERIT', value: true, comment: 'inherit the primary header' },
    ...sectionCards(ampSections(g, plan)),
    ...processingCards(plan.colBin, plan.rowBin, mode),
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
  return mergeCards(snapshot, [
    ...sectionCards(assemblySections(g, plan)),
    { key: 'NAMPS', value: g.amps.length, comment: 'amplifiers read' },
    ...processingCards(plan.colBin, plan.rowBin, mode),
    ...dataCards(pooled.mean, pooled.stddev),
  ]);
}

const SECTION_COMMENTS: Record<string, string> = {
  DETSIZE: 'detector size (unbinned pixels)',
  CCDSEC: 'CCD section of the data (unbinned)',
  AMPSEC: 'amplifier section of the data (unbinned)',
  DATASEC: 'data section of this image',
  BIASSEC: 'serial overscan section of this image',
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
