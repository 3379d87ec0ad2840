import { fitsFloat } from '../readout/fits.js';
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

/** azcam's test exposure: written to test.fits, settings left alone, the shutter closed unless asked. */
export interface TestExposure {
  exposureTime: number;
  shutterOpen?: boolean;
}

/**
 * The plan for an exposure from the camera's current settings, or for a test exposure. With
 * `imagetest` on, every exposure goes to test.fits and leaves the sequence number alone (azcam).
 */
export function planExposure(sources: PlanSources, test?: TestExposure): ExposurePlan {
  const values = sources.parameters.values;
  const imageType = test ? 'test' : values.imagetype;
  const toTestFile = test !== undefined || values.imagetest;
  const exposureTime = imageType === 'zero' ? 0 : (test?.exposureTime ?? values.exposuretime);
  const request: ReadoutRequest = {
    camera: sources.camera,
    geometry: sources.detector,
    roi: Object.freeze(sources.parameters.roi()),
    simulation: Object.freeze({ imageType, exposureTime, seed: sources.seed, shutter: test?.shutterOpen ?? LIGHT_TYPES.has(imageType) }),
    processing: Object.freeze({ biasSubtraction: values.biassubtraction, format: values.imageformat }),
    cards: sources.header.snapshot({ EXPTIME: exposureTime, EXPREQ: exposureTime, IMAGETYP: imageType }),
    filename: toTestFile ? testFilename(values.imagefolder) : imageFilename(values),
    overwrite: toTestFile || values.imageoverwrite,
  };
  return {
    request: Object.freeze(request),
    advancesSequence: !toTestFile && values.imageautoincrementsequencenumber,
  };
}

/**
 * The request of an exposure whose integration was ended early (a server stop): its header and
 * its pixels tell the time actually integrated.
 */
export function withIntegratedTime(request: ReadoutRequest, exposureTime: number): ReadoutRequest {
  const cards = request.cards.map((card) => (card.key === 'EXPTIME' ? Object.freeze({ ...card, value: fitsFloat(exposureTime) }) : card));
  return Object.freeze({ ...request, simulation: Object.freeze({ ...request.simulation, exposureTime }), cards: Object.freeze(cards) });
}
