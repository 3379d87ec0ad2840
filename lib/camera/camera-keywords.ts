import type { Clock } from '../clock.js';
import type { DetectorGeometry } from '../readout/geometry.js';
import { fitsDate } from './exposure-times.js';
import type { LiveKeyword } from './header.js';
import type { Instrument } from './instrument.js';
import type { Parameters } from './parameters.js';
import type { Temperatures } from './tempcon.js';

export interface KeywordSources {
  clock: Clock;
  detector: DetectorGeometry;
  parameters: Parameters;
  temperatures: Temperatures;
  instrument: Instrument;
  /** INSTRUME. */
  instrumentName: string;
}

/** The header keywords the camera keeps current; clients set their own beside these. */
export function cameraKeywords(s: KeywordSources): Record<string, LiveKeyword> {
  return {
    'DATE-OBS': { type: 'str', comment: 'UTC shutter opened', read: () => fitsDate(s.clock.now()) },
    EXPTIME: { type: 'float', comment: 'Exposure time (seconds)', read: () => s.parameters.get('exposuretime') },
    EXPREQ: { type: 'float', comment: 'Exposure time requested (seconds)', read: () => s.parameters.get('exposuretime') },
    IMAGETYP: { type: 'str', comment: 'Image type', read: () => s.parameters.get('imagetype').toLowerCase() },
    OBJECT: { type: 'str', comment: 'Image title', read: () => s.parameters.get('imagetitle') },
    DETECTOR: { type: 'str', comment: 'Detector name', read: () => s.detector.name },
    INSTRUME: { type: 'str', comment: 'Instrument name', read: () => s.instrumentName },
    FILTER: { type: 'str', comment: 'Filter name', read: () => s.instrument.filter },
    // azcam's tempcon names: CAMTEMP is the CCD's (the camera's) temperature.
    CAMTEMP: { type: 'float', comment: 'Camera temperature in C', read: () => s.temperatures.ccd() },
    DEWTEMP: { type: 'float', comment: 'Dewar temperature in C', read: () => s.temperatures.base() },
    TEMPUNIT: { type: 'str', comment: 'Temperature units', read: () => 'C' },
  };
}
