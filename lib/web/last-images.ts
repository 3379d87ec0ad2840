import type { Preview } from '../readout/preview.js';
import type { ReadoutEvent } from '../readout/pool-readout.js';
import type { AmpStats } from '../readout/stats.js';

export interface LastImage {
  filename: string;
  stats: AmpStats[];
  preview: Preview;
  /** Counts images written by the server: a new number is a new picture for the page. */
  number: number;
}

/** Each camera's last written image, as its worker described it, for the status page. */
export class LastImages {
  readonly #images = new Map<string, LastImage>();
  #written = 0;

  /** The readout port's observer. */
  readonly record = (event: ReadoutEvent): void => {
    if (event.result !== 'written') return;
    const { stats, preview } = event.written;
    this.#images.set(event.camera, { filename: event.filename, stats, preview, number: ++this.#written });
  };

  /** By camera name (`cam1`, `cam2`, ...). */
  get(camera: string): LastImage | undefined {
    return this.#images.get(camera);
  }
}
