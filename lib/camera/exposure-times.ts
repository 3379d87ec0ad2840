/**
 * When an exposure integrated, as the header cards a reduction pipeline reads (azcam's names and
 * comments where azcam writes them): the start as DATE-OBS, UTC-OBS/TIME-OBS and MJD-OBS, the end
 * as DATE-END, the dark time from start to end (pauses included), and the file's DATE.
 */
import { fitsFloat, type HeaderCard } from '../readout/fits.js';

export interface IntegrationTimes {
  /** Epoch ms when integration began (the shutter opened, for a light frame). */
  startMs: number;
  /** Epoch ms when it ended and readout began. */
  endMs: number;
}

/** Unix epoch (1970-01-01) as a Modified Julian Date. */
const MJD_UNIX_EPOCH = 40587;
const MS_PER_DAY = 86_400_000;

export function exposureTimeCards({ startMs, endMs }: IntegrationTimes): HeaderCard[] {
  const startTime = fitsDate(startMs).slice(11);
  return [
    { key: 'DATE-OBS', value: fitsDate(startMs), comment: 'UTC shutter opened' },
    { key: 'UTC-OBS', value: startTime, comment: 'UTC at start of exposure' },
    { key: 'TIME-OBS', value: startTime, comment: 'UTC at start of exposure' },
    { key: 'MJD-OBS', value: fitsFloat(startMs / MS_PER_DAY + MJD_UNIX_EPOCH), comment: 'MJD at start of exposure' },
    { key: 'DATE-END', value: fitsDate(endMs), comment: 'UTC at end of exposure' },
    { key: 'TIMESYS', value: 'UTC', comment: 'Time system' },
    { key: 'DARKTIME', value: fitsFloat((endMs - startMs) / 1000), comment: 'Dark time (seconds)' },
    // The file is written within a second or so of the readout's start.
    { key: 'DATE', value: fitsDate(endMs), comment: 'UTC date and time of file creation' },
  ];
}

/** FITS date format: ISO 8601 UTC without the zone letter, to the millisecond. */
export function fitsDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}
