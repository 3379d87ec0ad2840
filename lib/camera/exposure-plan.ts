import type { DetectorGeometry } from '../readout/geometry.js';
import { imageFilename, testFilename } from './filename.js';
import type { HeaderKeywords } from './header.js';
import type { Parameters } from './parameters.js';
import type { ReadoutRequest } from '../readout/request.js';

/** Everything an exposure needs, fixed when it starts: later changes only affect the next one. */
export interface ExposurePlan {
  request: ReadoutRequest;
  /** Whether success moves the image sequence number on. */
  advancesSequence: boolean;
}

export interface PlanSources {
  camera: string;
  detector: DetectorGeometry;
  parameters: Parameters;
  header: HeaderKeywords;
  seed: number;
}

/** Image types that open the shutter. */
const LIGHT_TYPES: ReadonlySet<string> = new Set(['object', 'flat']);

/**
 * The plan for an exposure from the camera's current settings; `test` (with its exposure time)
 * makes azcam's test exposure: shutter closed, written to test.fits, settings left alone.
 */
export function planExposure(sources: PlanSources, test?: { exposureTime: number }): ExposurePlan {
  const values = sources.parameters.values;
  const imageType = test ? 'test' : values.imagetype;
  const exposureTime = imageType === 'zero' ? 0 : (test?.exposureTime ?? values.exposuretime);
  const request: ReadoutRequest = {
    camera: sources.camera,
    geometry: sources.detector,
    roi: Object.freeze(sources.parameters.roi()),
    simulation: Object.freeze({ imageType, exposureTime, seed: sources.seed, shutter: LIGHT_TYPES.has(imageType) }),
    processing: Object.freeze({ biasSubtraction: values.biassubtraction, format: values.imageformat }),
    cards: sources.header.snapshot({ EXPTIME: exposureTime, IMAGETYP: imageType }),
    filename: test ? testFilename(values.imagefolder) : imageFilename(values),
    overwrite: test !== undefined || values.imageoverwrite,
  };
  return {
    request: Object.freeze(request),
    advancesSequence: !test && values.imageautoincrementsequencenumber,
  };
}
