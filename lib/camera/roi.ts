/** The region of interest and detector format as the exposure tool reads and shows them. */
import { InvalidArgumentError } from '../errors.js';
import { type DetectorGeometry, type Roi } from '../readout/geometry.js';
import { UNCHANGED } from './parameters.js';

const ROI_FIELDS = ['firstCol', 'lastCol', 'firstRow', 'lastRow', 'colBin', 'rowBin'] as const;

/** `set_roi first_col last_col first_row last_row col_bin row_bin`: -1 keeps the current value. */
export function roiFrom(values: readonly number[], current: Roi): Roi {
  const roi = { ...current };
  ROI_FIELDS.forEach((field, index) => {
    const value = values[index];
    if (value !== undefined && value !== UNCHANGED) roi[field] = value;
  });
  return roi;
}

/**
 * azcam's `get_format`: visible columns, prescan (predark) columns per amp, underscan columns,
 * overscan columns per amp; visible rows, predark rows, underscan rows, overscan rows;
 * frame-transfer rows. `roi_reset` spans the visible columns and rows.
 */
export function detectorFormat(g: DetectorGeometry): number[] {
  return [g.width, g.prescan, 0, g.overscanCols, g.height, 0, 0, g.overscanRows, 0];
}

/** azcam's `get_focalplane`: detectors in x and y, amps in x and y, each amp's flip (1 x, 2 y, 3 both). */
export function focalPlane(g: DetectorGeometry): [number, number, number, number, number[]] {
  return [1, 1, g.ampsX, g.ampsY, g.amps.map((amp) => (amp.flipX ? 1 : 0) + (amp.flipY ? 2 : 0))];
}

const INTEGER_LIST = /^\s*[[(]\s*(\d+\s*(,\s*\d+\s*)*,?\s*)?[\])]\s*$/;

/** `set_focalplane`'s amp_cfg as azcam's `ast.literal_eval` reads it: a list (or tuple) of integers, `[0,1,2,3]`. */
export function parseAmpConfig(text: string): number[] {
  if (!INTEGER_LIST.test(text)) throw new InvalidArgumentError(`invalid amp_cfg: ${text} (a list of amplifier flips, such as [0,1,2,3])`);
  return (text.match(/\d+/g) ?? []).map(Number);
}
