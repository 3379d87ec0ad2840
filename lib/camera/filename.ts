/**
 * azcam image file naming (`exposure_filename.py`), pure (whether a file exists is checked where
 * the exposure starts): `<imagefolder>/<imageroot><sequence number, 4 digits>.fits`, e.g.
 * `/data/itl.0001.fits`; with `imageautoname`, the image type upper-cased before the number
 * (`/data/itl.FLAT.0001.fits`).
 */
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { ParameterValues } from './parameters.js';

export const IMAGE_EXTENSION = '.fits';
/** azcam's file types and their extensions (`get_extname`). */
export const FILE_TYPE_EXTENSIONS: Readonly<Record<number, string>> = { 0: 'fits', 1: 'fits', 2: 'bin', 3: 'tif', 4: 'jpg', 5: 'gif', 6: 'fits' };
/** `exposure.test` always writes (and overwrites) this file in the image folder. */
export const TEST_IMAGE = 'test.fits';

export type ImageNaming = Pick<ParameterValues, 'imagefolder' | 'imageroot' | 'imageincludesequencenumber' | 'imagesequencenumber' | 'imageautoname' | 'imagetype'>;

/**
 * azcam's `get_filename`: root, `.TYPE.` with autoname, the number, the extension; then every `..`
 * made `.` (root `itl.` without a number gives `itl.fits`). Here only the file's name is cleaned:
 * our folders are resolved, absolute paths.
 */
export function imageFilename(naming: ImageNaming): string {
  const { imageroot: root, imageautoname: autoname } = naming;
  const stem = autoname ? `${root}.${naming.imagetype.toUpperCase()}` : root;
  const number = String(naming.imagesequencenumber).padStart(4, '0');
  const numbered = naming.imageincludesequencenumber ? `${stem}${autoname ? '.' : ''}${number}` : stem;
  return join(naming.imagefolder, `${numbered}${IMAGE_EXTENSION}`.replaceAll('..', '.'));
}

export function testFilename(imagefolder: string): string {
  return join(imagefolder, TEST_IMAGE);
}

/** The next image's file name: test.fits while `imagetest` is on (azcam's `get_filename`). */
export function nextFilename(values: ImageNaming & { imagetest: boolean }): string {
  return values.imagetest ? testFilename(values.imagefolder) : imageFilename(values);
}

/**
 * azcam's `set_filename`: the folder, and as root the file name up to its first `.`; the other
 * naming flags are left as they are (`/data/flat.0005.fits` gives root `flat`). A relative folder
 * is taken as `set_par imagefolder` takes it.
 */
export function namingFor(path: string): Pick<ImageNaming, 'imagefolder' | 'imageroot'> {
  if (path.trim() === '') throw new InvalidArgumentError(`invalid filename: ${path} (names no file)`);
  return { imagefolder: dirname(path), imageroot: basename(path).split('.')[0]! };
}
