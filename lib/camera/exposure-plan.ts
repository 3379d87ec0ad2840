import { fitsFloat } from '../readout/fits.js';
import type { DetectorGeometry } from '../readout/geometry.js';
import { imageFilename, testFilename } from './filename.js';
import type { HeaderKeywords } from './header.js';
import { autoTitled, opensShutter, roiOf, type Parameters, type ParameterValues } from './parameters.js';
import type { ReadoutRequest } from '../readout/request.js';

/** Everything an exposure needs, fixed when it starts: later changes only affect the next one. */
export interface ExposurePlan {
  request: ReadoutRequest;
  /** Reported by get_status while the exposure runs. */
  shown: ShownSettings;
  /** Whether success moves the image sequence number on. */
  advancesSequence: boolean;
}

/** What get_status shows of an exposure's own settings, by its names: as its header and its file have them. */
export interface ShownSettings {
  imagetitle: string;
  imagetype: string;
  /** Written to test.fits. */
  imagetest: boolean;
  exposuretime: number;
}

export interface PlanSources {
  camera: string;
  detector: DetectorGeometry;
  parameters: Parameters;
  header: HeaderKeywords;
  seed: number;
}

/**
 * How one exposure differs from the camera's settings, for that exposure alone: no setting is
 * changed, so other clients never see them (azcam's test exposure, the focus frame).
 */
export interface ExposureOverrides {
  /** Taken in place of the camera's settings. */
  values?: Partial<ParameterValues>;
}

/**
 * The plan for an exposure from the camera's current settings and this exposure's overrides. With
 * `imagetest` on, every exposure goes to test.fits and leaves the sequence number alone (azcam).
 */
export function planExposure(sources: PlanSources, overrides: ExposureOverrides = {}): ExposurePlan {
  const values = autoTitled({ ...sources.parameters.values, ...overrides.values });
  // azcam's begin takes the type lower-cased for the exposure, its header and its shutter.
  const imageType = values.imagetype.toLowerCase();
  const toTestFile = values.imagetest;
  const exposureTime = imageType === 'zero' ? 0 : values.exposuretime;
  const shown: ShownSettings = Object.freeze({ imagetitle: values.imagetitle, imagetype: values.imagetype, imagetest: toTestFile, exposuretime: exposureTime });
  const request: ReadoutRequest = {
    camera: sources.camera,
    geometry: sources.detector,
    roi: Object.freeze(roiOf(values)),
    simulation: Object.freeze({ imageType, exposureTime, seed: sources.seed, shutter: opensShutter(imageType) }),
    processing: Object.freeze({ biasSubtraction: values.biassubtraction, format: values.imageformat }),
    cards: sources.header.snapshot({ EXPTIME: exposureTime, EXPREQ: exposureTime, IMAGETYP: imageType, OBJECT: shown.imagetitle }),
    filename: toTestFile ? testFilename(values.imagefolder) : imageFilename(values),
    overwrite: toTestFile || values.imageoverwrite,
  };
  return {
    request: Object.freeze(request),
    shown,
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
