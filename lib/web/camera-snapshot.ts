import type { AmpStats } from '../readout/stats.js';
import type { CameraReader } from './camera-reader.js';
import type { LastImage } from './last-images.js';

/** One camera as the status page shows it: every field is a command's reply, as a client would get it. */
export interface CameraSnapshot {
  camera: string;
  /** The tool prefix: '' for camera 1, `cam2`, ... */
  prefix: string;
  /** `exposure.get_status`. */
  status: unknown;
  temperatures: { ccd: number; base: number; ambient: number; setpoint: number };
  filter: unknown;
  /** The next image's file name. */
  nextFilename: unknown;
  /** The camera's settings, which the exposure form starts from (the status has the running exposure's). */
  exposureTime: unknown;
  imageType: unknown;
  imageTitle: unknown;
  /** The last image written, with the worker's statistics per amp and the address of its preview. */
  lastImage?: { filename: string; stats: AmpStats[]; preview: string };
}

export async function cameraSnapshot(reader: CameraReader, last: LastImage | undefined): Promise<CameraSnapshot> {
  const parameter = (name: string): Promise<unknown> => reader.ask('parameters', 'get_par', name);
  const lastImage = last && { filename: last.filename, stats: last.stats, preview: `${previewPath(reader.name)}?n=${last.number}` };
  return {
    camera: reader.name,
    prefix: reader.prefix,
    status: await reader.ask('exposure', 'get_status'),
    temperatures: await reader.temperatures(),
    filter: await reader.ask('instrument', 'get_filter'),
    nextFilename: await reader.ask('exposure', 'get_filename'),
    exposureTime: await parameter('exposuretime'),
    imageType: await parameter('imagetype'),
    imageTitle: await parameter('imagetitle'),
    lastImage,
  };
}

/** Where the camera's last preview PNG is served. */
export function previewPath(camera: string): string {
  return `/preview/${camera}.png`;
}
