/** The region of interest and detector format as the exposure tool reads and shows them. */
import type { Arguments } from '../dispatch/arguments.js';
import { rawHeight, rawWidth, type DetectorGeometry, type Roi } from '../readout/geometry.js';
import { UNCHANGED } from './parameters.js';

const ROI_ARGUMENTS = ['first_col', 'last_col', 'first_row', 'last_row', 'col_bin', 'row_bin'] as const;
const ROI_FIELDS = ['firstCol', 'lastCol', 'firstRow', 'lastRow', 'colBin', 'rowBin'] as const;

/** `set_roi first_col last_col first_row last_row [col_bin] [row_bin]`: missing or -1 keeps the current value. */
export function roiFromArgs(args: Arguments, current: Roi): Roi {
  args.atMost(ROI_ARGUMENTS.length, ROI_ARGUMENTS);
  const roi = { ...current };
  ROI_FIELDS.forEach((field, index) => {
    const value = args.optionalInteger(index, ROI_ARGUMENTS[index]!);
    if (value !== undefined && value !== UNCHANGED) roi[field] = value;
  });
  return roi;
}

/**
 * azcam's `get_format` for the whole detector: serial total, prescan, underscan, overscan; parallel
 * total, prescan, underscan, overscan; frame-transfer rows. Totals include every amp's pre- and
 * overscan.
 */
export function detectorFormat(g: DetectorGeometry): number[] {
  return [g.ampsX * rawWidth(g), g.prescan, 0, g.overscanCols, g.ampsY * rawHeight(g), 0, 0, g.overscanRows, 0];
}
