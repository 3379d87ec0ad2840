/**
 * What the disk under the readouts' folder sustains for their kind of writes, measured in the same
 * run: files of a frame's size written by the image store (the file flushed, renamed, its folder
 * flushed), `writers` at a time, and nothing else. Once frames/s times the file's bytes reach it,
 * the disk sets the readout rate, and more workers cannot raise it.
 */
import { randomFillSync } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageStore } from '../../lib/storage/image-store.js';
import { now, nsToMs } from './clock.js';

/** Bytes per second written and flushed, over about `seconds` (at least one file per writer). */
export async function diskWriteRate(dir: string, fileBytes: number, writers: number, seconds = 1.5): Promise<number> {
  // Random bytes: a virtual disk may store runs of zeros for nothing.
  const bytes = randomFillSync(Buffer.alloc(fileBytes));
  const store = new ImageStore(dir);
  const started = now();
  const elapsedS = (): number => nsToMs(now() - started) / 1000;
  let written = 0;
  let lastWrittenS = 0;
  const writer = async (index: number): Promise<void> => {
    const path = join(dir, `disk-baseline-${index}.bin`);
    try {
      do {
        await store.write(path, bytes, true);
        written += bytes.byteLength;
        lastWrittenS = elapsedS();
      } while (lastWrittenS < seconds);
    } finally {
      await rm(path, { force: true });
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  return written / lastWrittenS;
}
