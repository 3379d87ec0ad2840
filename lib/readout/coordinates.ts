/**
 * The WCS-free coordinate mappings of the IRAF/NOAO mosaic convention, by which IRAF, ccdproc and
 * ds9 map a binned or cut image back to the CCD: image = LTM * ccd + LTV (LTM1_1, LTM2_2, LTV1,
 * LTV2); amplifier = ATM * ccd + ATV (unbinned amp pixels from its output corner, as AMPSEC);
 * detector = DTM * ccd + DTV (one CCD: the identity). Coordinates are 1-based pixel centres; the
 * images are in detector orientation, so LTM is positive.
 */
import { ampOrigin, type DetectorGeometry } from './geometry.js';
import type { AmpPlan, AssemblyPlan, DetectorSpan } from './sections.js';

/** One axis of a linear mapping: out = scale * ccd + offset. */
export interface AxisMapping {
  scale: number;
  offset: number;
}

export interface CoordinateMappings {
  /** CCD to image, x and y. */
  image: [AxisMapping, AxisMapping];
  /** CCD to amplifier (one amp's image only). */
  amplifier?: [AxisMapping, AxisMapping];
  /** CCD to detector. */
  detector: [AxisMapping, AxisMapping];
}

const IDENTITY: AxisMapping = { scale: 1, offset: 0 };

/**
 * An axis binned by `bin` whose first data pixel, image pixel `first`, sums the CCD pixels from
 * `ccdFirst`: that image pixel's centre lies at CCD coordinate ccdFirst + (bin - 1) / 2.
 */
function imageAxis(first: number, ccdFirst: number, bin: number): AxisMapping {
  const scale = 1 / bin;
  return { scale, offset: first - scale * (ccdFirst + (bin - 1) / 2) };
}

function imageMapping(firstX: number, firstY: number, d: DetectorSpan, colBin: number, rowBin: number): [AxisMapping, AxisMapping] {
  return [imageAxis(firstX, d.x1, colBin), imageAxis(firstY, d.y1, rowBin)];
}

/** One amp's image in a MEF file (prescan and overscan, if kept, lie outside its data). */
export function ampMappings(g: DetectorGeometry, plan: AmpPlan): CoordinateMappings {
  const origin = ampOrigin(g, plan.amp);
  // Amp pixel 1 is the one next to its output: the high CCD edge along an axis it reads toward.
  const ampAxis = (flip: boolean, start: number, size: number): AxisMapping =>
    flip ? { scale: -1, offset: start + size + 1 } : { scale: 1, offset: -start };
  return {
    image: imageMapping(plan.dataCols.dst + 1, plan.dataRows.dst + 1, plan.detector, plan.colBin, plan.rowBin),
    amplifier: [ampAxis(plan.amp.flipX, origin.x, g.ampWidth), ampAxis(plan.amp.flipY, origin.y, g.ampHeight)],
    detector: [IDENTITY, IDENTITY],
  };
}

/** An assembled image of the ROI. */
export function assemblyMappings(plan: AssemblyPlan): CoordinateMappings {
  return { image: imageMapping(1, 1, plan.detector, plan.colBin, plan.rowBin), detector: [IDENTITY, IDENTITY] };
}
