/**
 * The image sequence-number policy of one camera: which number the next image takes, when the
 * number moves on, and when it is given back. Naming itself (number → file name) is `filename.ts`.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InvalidStateError } from '../errors.js';
import { log } from '../log.js';
import type { ImageNames } from './image-names.js';
import { imageFilename } from './filename.js';
import type { Parameters, ParameterValues } from './parameters.js';

/** How far an exposure looks ahead for a free sequence number before giving up on a full folder. */
const MAX_SKIPPED_SEQUENCE_NUMBERS = 10_000;
/** The last number an image may take: the one after it is still an exact number, and a valid setting. */
export const LAST_SEQUENCE_NUMBER = Number.MAX_SAFE_INTEGER - 1;

export class ImageSequence {
  constructor(
    private readonly parameters: Parameters,
    private readonly names: ImageNames,
    private readonly camera: string,
  ) {}

  /**
   * With auto-increment on, a sequence number whose file already exists (after a restart, say) is
   * skipped rather than refused: the next exposure takes the first free number, nothing is
   * replaced. A number whose name another camera's running exposure has claimed is skipped too
   * (even with `imageoverwrite`: that file is not this camera's to replace). Synchronous: a client
   * sees the exposure in SETUP, and can abort it, from the moment its command runs. So it is cheap
   * in the usual case, where the number is free: one look at one name (a link there, even a
   * dangling one, takes it). Only a number that is taken costs a listing of the folder (5 ms for
   * 5,000 files), once: the number then moves past the files. A folder that cannot be listed
   * skips nothing (the write reports what is wrong with it). `overrides` are the exposure's own
   * settings (its image root, say), in place of the camera's.
   */
  skipTaken(overrides: Partial<ParameterValues> = {}): void {
    const values = { ...this.parameters.values, ...overrides };
    if (values.imagetest || !values.imageautoincrementsequencenumber) return;
    checkRoom(values.imagesequencenumber);
    if (!values.imageincludesequencenumber) return;
    const nameOf = (sequence: number): string => imageFilename({ ...values, imagesequencenumber: sequence });
    const first = nameOf(values.imagesequencenumber);
    if (!this.names.isClaimed(first) && (values.imageoverwrite || !nameTaken(first))) return;
    const existing = values.imageoverwrite ? new Set<string>() : namesIn(dirname(first));
    const taken = (filename: string): boolean => this.names.isClaimed(filename) || existing.has(basename(filename));
    let sequence = values.imagesequencenumber;
    const limit = Math.min(sequence + MAX_SKIPPED_SEQUENCE_NUMBERS, LAST_SEQUENCE_NUMBER + 1);
    while (sequence < limit && taken(nameOf(sequence))) sequence++;
    if (sequence === values.imagesequencenumber) return;
    checkRoom(sequence);
    log.info('image sequence number skips existing files', { camera: this.camera, from: values.imagesequencenumber, to: sequence });
    this.parameters.update({ imagesequencenumber: sequence });
  }

  /**
   * The number an exposure takes now. It moves on when the exposure calls `advance` (once its
   * camera is free: the next exposure may start while this one is still processed); `giveBack`
   * returns it if the image then fails and the camera's number is still the one after it.
   */
  claim(): { advance(): void; giveBack(): void } {
    let advancedTo: number | undefined;
    return {
      // The number as it is now, plus one, as azcam's `end` increments it: a change made during
      // the exposure (`increment_filenumber`, `set_par`) is kept, not overwritten.
      advance: () => {
        advancedTo = this.parameters.get('imagesequencenumber') + 1;
        this.parameters.update({ imagesequencenumber: advancedTo });
      },
      giveBack: () => {
        if (advancedTo !== undefined && this.parameters.get('imagesequencenumber') === advancedTo) this.parameters.update({ imagesequencenumber: advancedTo - 1 });
      },
    };
  }
}

/** Refuses an exposure that would take a number past the last (its successor would not be exact). */
function checkRoom(sequence: number): void {
  if (sequence > LAST_SEQUENCE_NUMBER) {
    throw new InvalidStateError(`image sequence number ${sequence} is past the last one an image can take (${LAST_SEQUENCE_NUMBER}): set imagesequencenumber lower`);
  }
}

/** Whether something has this name (a link too, even a dangling one); a path that cannot be looked at (not a folder) has nothing. */
function nameTaken(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function namesIn(folder: string): Set<string> {
  try {
    return new Set(readdirSync(folder));
  } catch {
    return new Set();
  }
}
