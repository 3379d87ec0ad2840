/**
 * Work buffers a thread keeps between readouts. A 4k x 4k readout's intermediates are tens of MB,
 * and fresh memory costs a page fault per 4 KiB on first touch, which on small VMs is as much as
 * the processing itself; so a worker hands the pipeline the previous frame's buffers to overwrite.
 * Each buffer has a name (one per role); contents are stale, callers write every element they read.
 * Buffers beyond `maxBytes` in total are allocated fresh and not kept. The default keeps the
 * kernel arena a readout of any preset needs (raw stream and file, 2 x 230 MB for mosaic10k),
 * except a bias-subtracted mosaic10k readout's (its float32 file is twice the stream: 680 MB),
 * which is made afresh each time.
 */
import { KernelArena } from './kernels.js';

export const DEFAULT_SCRATCH_BYTES = 512 * 1024 * 1024;

export class Scratch {
  readonly #buffers = new Map<string, ArrayBuffer>();
  #arena: KernelArena | undefined;

  constructor(readonly maxBytes = DEFAULT_SCRATCH_BYTES) {}

  /** Bytes held now. */
  get bytes(): number {
    let total = 0;
    for (const buffer of this.#buffers.values()) total += buffer.byteLength;
    return total + (this.#arena?.bytes ?? 0);
  }

  uint16(name: string, length: number): Uint16Array {
    return new Uint16Array(this.buffer(name, length * Uint16Array.BYTES_PER_ELEMENT), 0, length);
  }

  float32(name: string, length: number): Float32Array {
    return new Float32Array(this.buffer(name, length * Float32Array.BYTES_PER_ELEMENT), 0, length);
  }

  /** At least `bytes` long. */
  buffer(name: string, bytes: number): ArrayBuffer {
    const held = this.#buffers.get(name);
    if (held && held.byteLength >= bytes) return held;
    this.#buffers.delete(name);
    const buffer = new ArrayBuffer(bytes);
    if (this.bytes + bytes <= this.maxBytes) this.#buffers.set(name, buffer);
    return buffer;
  }

  /** A kernel arena of at least `bytes`, kept like a buffer. */
  arena(bytes: number): KernelArena {
    if (this.#arena && this.#arena.bytes >= bytes) return this.#arena;
    this.#arena = undefined;
    const arena = new KernelArena(bytes);
    if (this.bytes + arena.bytes <= this.maxBytes) this.#arena = arena;
    return arena;
  }
}

/** Allocates fresh buffers every time: the default, for callers that keep nothing between calls. */
export const NO_SCRATCH = new Scratch(0);
