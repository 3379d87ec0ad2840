/**
 * azcam image file naming, pure (whether a file exists is checked where the exposure starts):
 * `<imagefolder>/<imageroot><sequence number, 4 digits>.fits`, e.g. `/data/itl.0001.fits`.
 */
import { basename, dirname, isAbsolute, join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { ParameterValues } from './parameters.js';

export const IMAGE_EXTENSION = '.fits';
/** `exposure.test` always writes (and overwrites) this file in the image folder. */
export const TEST_IMAGE = 'test.fits';

export type ImageNaming = Pick<ParameterValues, 'imagefolder' | 'imageroot' | 'imageincludesequencenumber' | 'imagesequencenumber'>;

export function imageFilename(naming: ImageNaming): string {
  const sequence = naming.imageincludesequencenumber ? String(naming.imagesequencenumber).padStart(4, '0') : '';
  return join(naming.imagefolder, `${naming.imageroot}${sequence}${IMAGE_EXTENSION}`);
}

export function testFilename(imagefolder: string): string {
  return join(imagefolder, TEST_IMAGE);
}

/** The next image's file name: test.fits while `imagetest` is on (azcam's `get_filename`). */
export function nextFilename(values: ImageNaming & { imagetest: boolean }): string {
  return values.imagetest ? testFilename(values.imagefolder) : imageFilename(values);
}

/**
 * The naming parameters that make `path` the next image's exact name (`exposure.set_filename`):
 * no sequence number; a relative path is taken within the current image folder.
 */
export function namingFor(path: string, imagefolder: string): Partial<ImageNaming> {
  const full = isAbsolute(path) ? path : join(imagefolder, path);
  const name = basename(full);
  const root = name.endsWith(IMAGE_EXTENSION) ? name.slice(0, -IMAGE_EXTENSION.length) : name;
  if (path.trim() === '' || /[/\\]$/.test(path) || root === '') {
    throw new InvalidArgumentError(`invalid filename: ${path} (names no file)`);
  }
  return { imagefolder: dirname(full), imageroot: root, imageincludesequencenumber: false };
}
