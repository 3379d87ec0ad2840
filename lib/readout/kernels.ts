/**
 * The WebAssembly SIMD kernels of the pixel pass (kernels.wat, compiled by the build) and the
 * memory they work in. JavaScript has no vector instructions and checks a typed array's bounds on
 * every access; a kernel reads an amp's pixels out of the interleaved stream eight at a time and
 * writes them as big-endian FITS words, with their sums, in about a third of the time.
 *
 * A kernel reaches only its own memory, so the raw stream and the file live there. An arena is one
 * such memory of a fixed size, laid out afresh for each readout and never grown, so the views it
 * hands out stay valid for as long as anyone holds them.
 */
import { readFileSync } from 'node:fs';

const KERNELS = new WebAssembly.Module(readFileSync(new URL('./kernels.wasm', import.meta.url)));

/** The kernels' exports; addresses and strides in bytes. See kernels.wat. */
export interface Kernels {
  gather16(src: number, stride: number, count: number, dst: number, sums: number, stats: number): void;
}

/** Per amp: the file words' high and low halves, and the pixel sum and sum of squares (four i64). */
export const SUM_SLOTS = 4;
const SUM_BYTES = SUM_SLOTS * 8;
const ALIGN = 64;
const PAGE = 65536;

/** One readout's place in an arena. */
export interface ArenaLayout {
  kernels: Kernels;
  /** Amp a's sums are sums[SUM_SLOTS * a ...]; their address is sumsAt + SUM_SLOTS * 8 * a. */
  sums: BigInt64Array;
  sumsAt: number;
  stream: Uint16Array;
  file: Uint8Array;
}

export class KernelArena {
  /** The arena bytes a readout of `amps` amps, `pixels` raw pixels and a `fileBytes` file needs. */
  static bytesFor(amps: number, pixels: number, fileBytes: number): number {
    return aligned(amps * SUM_BYTES) + aligned(pixels * 2) + fileBytes;
  }

  readonly bytes: number;
  readonly #memory: WebAssembly.Memory;
  readonly #kernels: Kernels;

  constructor(bytes: number) {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    this.#memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.#kernels = new WebAssembly.Instance(KERNELS, { env: { memory: this.#memory } }).exports as unknown as Kernels;
    this.bytes = pages * PAGE;
  }

  /** Sums (zeroed), stream and file, in that order; contents of the stream and file are stale. */
  layout(amps: number, pixels: number, fileBytes: number): ArenaLayout {
    if (KernelArena.bytesFor(amps, pixels, fileBytes) > this.bytes) throw new RangeError(`KernelArena: ${this.bytes} bytes are too few for this readout`);
    const { buffer } = this.#memory;
    const streamAt = aligned(amps * SUM_BYTES);
    const fileAt = streamAt + aligned(pixels * 2);
    return {
      kernels: this.#kernels,
      sums: new BigInt64Array(buffer, 0, amps * SUM_SLOTS).fill(0n),
      sumsAt: 0,
      stream: new Uint16Array(buffer, streamAt, pixels),
      file: new Uint8Array(buffer, fileAt, fileBytes),
    };
  }
}

function aligned(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
