/**
 * What the FITS standard and our readout decide about header keywords, in one place: which
 * keywords we write ourselves (a client's value for one would contradict the file), which the
 * standard reserves for structures we never write, and the value type the standard fixes for the
 * common ones. Pure; names follow the standard's notation, `n` standing for an index (`NAXISn`).
 */

/** Written by the FITS encoder itself (fits.ts): a caller's card for one is refused there. */
export const ENCODER_KEYWORDS = ['SIMPLE', 'XTENSION', 'BITPIX', 'NAXIS', 'NAXISn', 'PCOUNT', 'GCOUNT', 'EXTEND', 'NEXTEND', 'BZERO', 'BSCALE', 'CHECKSUM', 'DATASUM', 'CONTINUE', 'LONGSTRN', 'END'];

/**
 * Written by the readout into every image (cards.ts), and by the camera when integration ends
 * (exposure-times.ts). A spec checks that every card a readout writes is named here or above, so
 * a new card cannot be forgotten.
 */
export const READOUT_KEYWORDS = [
  'EXTNAME', 'IMAGEID', 'INHERIT', 'NAMPS', 'CCDNAME', 'AMPNAME',
  'DETSIZE', 'CCDSEC', 'AMPSEC', 'DATASEC', 'BIASSEC', 'PBIASSEC', 'DETSEC',
  'LTMn_n', 'LTVn', 'ATMn_n', 'ATVn', 'DTMn_n', 'DTVn',
  'CCDSUM', 'BIASSUB', 'BIASMEAN', 'BIASRMS', 'DATAMEAN', 'DATASTD',
  'DATE', 'TIMESYS', 'MJD-OBS', 'UTC-OBS', 'TIME-OBS', 'DATE-END', 'DARKTIME',
];

/**
 * Written by the readout with the simulated electronics' values unless the exposure's header has
 * its own: a lab sets the gain and read noise it measured (`exposure.set_keyword GAIN 2.5`, as azcam
 * scripts do), and that value is the one in the file, primary and extensions alike.
 */
export const CALIBRATION_KEYWORDS = ['BUNIT', 'GAIN', 'RDNOISE', 'SATURATE'];

/**
 * Reserved by the standard for structures our files do not have (blank pixels, tables, random
 * groups, extension hierarchies) or deprecated: written by a client, each makes readers
 * misread the file (BLANK turns pixels into NaN) or makes it fail verification.
 */
const RESERVED_KEYWORDS = [
  'BLANK', 'EXTVER', 'EXTLEVEL', 'GROUPS', 'PTYPEn', 'PSCALn', 'PZEROn',
  'TFIELDS', 'TBCOLn', 'TFORMn', 'TTYPEn', 'TUNITn', 'TSCALn', 'TZEROn', 'TNULLn', 'TDISPn', 'TDIMn', 'THEAP',
  'TDMINn', 'TDMAXn', 'TLMINn', 'TLMAXn', 'ZIMAGE', 'ZTABLE', 'ZBITPIX', 'ZNAXIS', 'ZNAXISn', 'ZCMPTYPE',
  'BLOCKED', 'EPOCH',
];

export type StandardType = 'string' | 'integer' | 'real' | 'date';

/** Keywords whose value type the standard fixes (and for RADESYS, the values). */
const STANDARD_TYPES: Record<StandardType, string[]> = {
  string: ['ORIGIN', 'TELESCOP', 'OBSERVER', 'AUTHOR', 'REFERENCE', 'BUNIT', 'CTYPEn', 'CUNITn', 'RADESYS', 'RADECSYS', 'TIMESYS', 'WCSNAME', 'SPECSYS'],
  integer: ['WCSAXES'],
  real: [
    'EQUINOX', 'DATAMIN', 'DATAMAX', 'CRPIXn', 'CRVALn', 'CDELTn', 'CROTAn', 'PCn_n', 'CDn_n', 'PVn_n', 'LONPOLE', 'LATPOLE',
    'MJD-OBS', 'MJD-BEG', 'MJD-AVG', 'MJD-END', 'MJDREF', 'RESTFRQ', 'RESTFREQ', 'RESTWAV', 'TSTART', 'TSTOP', 'XPOSURE', 'TELAPSE',
  ],
  date: ['DATE', 'DATE-OBS', 'DATE-BEG', 'DATE-AVG', 'DATE-END', 'DATEREF'],
};

/** The celestial reference systems the standard allows for RADESYS. */
export const REFERENCE_SYSTEMS = ['ICRS', 'FK5', 'FK4', 'FK4-NO-E', 'GAPPT'];

/** YYYY-MM-DD, optionally with Thh:mm:ss[.s...]. */
const FITS_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?)?$/;

/** A name list in the standard's notation as one regular expression (`n` is an index). */
function namesPattern(names: readonly string[]): RegExp {
  const alternatives = names.map((name) => name.replace(/-/g, '\\-').replace(/n/g, '\\d+'));
  return new RegExp(`^(${alternatives.join('|')})$`);
}

const ENCODER = namesPattern(ENCODER_KEYWORDS);
const PROTECTED = namesPattern([...ENCODER_KEYWORDS, ...READOUT_KEYWORDS, ...RESERVED_KEYWORDS]);
const TYPES = Object.entries(STANDARD_TYPES).map(([type, names]) => ({ type: type as StandardType, pattern: namesPattern(names) }));

/** Whether the encoder writes this keyword itself. */
export function isEncoderKeyword(key: string): boolean {
  return ENCODER.test(key);
}

const CALIBRATION = namesPattern(CALIBRATION_KEYWORDS);

/** Whether the readout writes this keyword only where the exposure's header has none. */
export function isCalibrationKeyword(key: string): boolean {
  return CALIBRATION.test(key);
}

/** Whether a client may not set this keyword: we write it, or the standard reserves it. */
export function isProtectedKeyword(key: string): boolean {
  return PROTECTED.test(key);
}

/** The value type the standard fixes for this keyword, if it does. */
export function standardType(key: string): StandardType | undefined {
  return TYPES.find(({ pattern }) => pattern.test(key))?.type;
}

/** Why a string value is not allowed for this keyword (its type already checked), or undefined. */
export function standardValueProblem(key: string, value: string): string | undefined {
  if (standardType(key) === 'date' && !FITS_DATE.test(value)) return 'must be a date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.sss]';
  if (/^RADE(C)?SYS$/.test(key) && !REFERENCE_SYSTEMS.includes(value)) return `must be one of ${REFERENCE_SYSTEMS.join(', ')}`;
  return undefined;
}
