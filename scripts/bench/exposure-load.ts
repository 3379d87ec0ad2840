/**
 * The heavy load: clients that each drive their own camera with back-to-back exposures (camera 1
 * answers `exposure.*`, camera N `camN.exposure.*`), so that as many readouts as clients are in
 * flight. `expose` replies once the image is written, so each camera has at most one at a time.
 */
import type { AzcamClient } from '../../lib/client.js';
import { ExposureInProgressError, ServerBusyError } from '../../lib/errors.js';
import { formatError, isOkReply } from '../../lib/protocol/reply.js';

const BUSY = formatError(new ServerBusyError());
const IN_PROGRESS = formatError(new ExposureInProgressError());

export interface LoadSettings {
  imageType: string;
  /** Overscan bias subtraction of every readout: none, row or amp. */
  biasSubtraction: string;
  /** mef or assembled. */
  format: string;
}

export interface LoadCounts {
  /** Exposures written. */
  exposures: number;
  /** `ERROR server busy`: the readout queue was full (the bounded queue doing its job). */
  busy: number;
  /** `ERROR exposure in progress`: the camera was still taken. */
  inProgress: number;
  /** Any other error reply. */
  errors: number;
  firstError?: string;
}

export interface ExposureLoad {
  /** The counts so far (a copy). */
  snapshot(): LoadCounts;
  /** Stops sending and waits for the exposures under way; resolves with the final counts. */
  stop(): Promise<LoadCounts>;
}

/** After an error reply, a lane waits this long before trying again, rather than spin. */
const RETRY_MS = 20;

function cameraPrefix(index: number): string {
  return index === 0 ? '' : `cam${index + 1}.`;
}

/**
 * Each camera overwrites one file of its own (no disk filling up with images nobody reads) and
 * reads out with the chosen bias subtraction and format. On a running server this changes those
 * settings.
 */
export async function prepareCameras(clients: AzcamClient[], settings: LoadSettings): Promise<void> {
  const setters = clients.flatMap((client, index) => {
    const set = (name: string, value: string | number): Promise<unknown> => client.command(`${cameraPrefix(index)}parameters.set_par ${name} ${value}`);
    return [
      set('imageroot', `bench-cam${index + 1}`),
      set('imageincludesequencenumber', 0),
      set('imageoverwrite', 1),
      set('biassubtraction', settings.biasSubtraction),
      set('imageformat', settings.format),
    ];
  });
  await Promise.all(setters);
}

export function startExposureLoad(clients: AzcamClient[], settings: LoadSettings): ExposureLoad {
  const counts: LoadCounts = { exposures: 0, busy: 0, inProgress: 0, errors: 0 };
  let running = true;
  const lanes = clients.map(async (client, index) => {
    const command = `${cameraPrefix(index)}exposure.expose 0 ${settings.imageType}`;
    while (running) {
      const reply = await client.raw(command);
      if (count(counts, reply)) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  });
  // Settled, not all: a lane that fails early must not be an unhandled rejection before stop().
  const finished = Promise.allSettled(lanes);
  return {
    snapshot: () => ({ ...counts }),
    async stop() {
      running = false;
      const failed = (await finished).find((lane) => lane.status === 'rejected');
      if (failed) throw failed.reason;
      return { ...counts };
    },
  };
}

/** Counts a reply; true if it was an error. */
function count(counts: LoadCounts, reply: string): boolean {
  if (isOkReply(reply)) {
    counts.exposures++;
    return false;
  }
  if (reply === BUSY) counts.busy++;
  else if (reply === IN_PROGRESS) counts.inProgress++;
  else {
    counts.errors++;
    counts.firstError ??= reply;
  }
  return true;
}

/** The counts between two snapshots. */
export function countsBetween(before: LoadCounts, after: LoadCounts): LoadCounts {
  return {
    exposures: after.exposures - before.exposures,
    busy: after.busy - before.busy,
    inProgress: after.inProgress - before.inProgress,
    errors: after.errors - before.errors,
    ...(after.firstError === undefined ? {} : { firstError: after.firstError }),
  };
}
