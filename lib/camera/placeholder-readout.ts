import { roiPixelCount, type ReadoutPort } from './readout-port.js';

/** A Camera's readout when given none (unit tests): reports the readout done, writes no file. */
export const placeholderReadout: ReadoutPort = {
  // async so that an abort is a rejection, as the port contract says, not a throw
  async read(request, progress) {
    progress.signal.throwIfAborted();
    const total = roiPixelCount(request.roi);
    progress.trackPixels(() => ({ remaining: 0, total }));
    progress.writing();
  },
};
