/**
 * The WebAssembly SIMD kernels of the pixel pass (kernels.wat, compiled by the build) and the
 * memory they work in. JavaScript has no vector instructions and checks a typed array's bounds on
 * every access; a kernel reads an amp's pixels out of the interleaved stream eight at a time and
 * writes them as big-endian FITS words, with their sums, in about a third of the time (README,
 * Performance, has each kernel's figures).
 *
 * A kernel reaches only its own memory, so the raw stream and the file live there. An arena is one
 * such memory of a fixed size, laid out afresh for each readout and never grown, so the views it
 * hands out stay valid for as long as anyone holds them.
 */
import { readFileSync } from 'node:fs';
import { LITTLE_ENDIAN } from './byte-order.js';

// WebAssembly memory is little-endian, and JavaScript reaches the same memory through typed arrays
// (the simulator's tables, the stream the preview reads), which take the machine's byte order: the
// two agree only on a little-endian machine, as every x86 and ARM one is.
if (!LITTLE_ENDIAN) throw new Error('the readout kernels need a little-endian machine');

const KERNELS = new WebAssembly.Module(readFileSync(new URL('./kernels.wasm', import.meta.url)));

/** The kernels' exports; addresses and strides in bytes. See kernels.wat. */
export interface Kernels {
  gather16(src: number, stride: number, count: number, dst: number, sums: number, stats: number): void;
  unzip16(src: number, n: number, width: number, dst: number): void;
  rows16(stream: number, n: number, width: number, height: number, dataRows: number, dataWidth: number, amps: number, rowSums: number, first: number, last: number, unzipped: number): void;
  subtract32(src: number, stride: number, count: number, level: number, dst: number, sums: number, out: number): void;
  pick16(src: number, stride: number, count: number, dst: number, rows: number, srcRow: number, dstRow: number): void;
  clip16(src: number, count: number, lo: number, hi: number, out: number): void;
  noise16(dst: number, count: number, levels: number, scales: number, noise: number): void;
  permuted16(dst: number, table: number, count: number, unit: number, multiplier: number, rotation: number, mask: number): void;
  lit16(dst: number, count: number, first: number, light: number, deviates: number, patterns: number, period: number, dark: number, perUnit: number): void;
}

/** Per amp: the high and low halves of its data unit's words (two i64), the checksum's sums. */
export const SUM_SLOTS = 2;
const SUM_BYTES = SUM_SLOTS * 8;
/** Where a kernel that returns sums stores them: up to four float64. */
const RESULT_BYTES = 32;
/** Each region starts on a cache line. */
export const ALIGN = 64;
/** A WebAssembly memory grows in pages of 64 KiB. */
const WASM_PAGE = 65536;

/**
 * What a readout needs of an arena: sums for `amps`; `workBytes` for one step at a time (its
 * tables or images: each step overwrites what the last left); a stream of `pixels`; a file of `fileBytes`.
 */
export interface ArenaNeeds {
  amps: number;
  workBytes: number;
  pixels: number;
  fileBytes: number;
}

/** One readout's place in an arena: the views, each on the arena's memory. */
export interface ArenaLayout {
  kernels: Kernels;
  /** Amp a's sums are sums[SUM_SLOTS * a ...]; their address is sumsAt + SUM_SLOTS * 8 * a. */
  sums: BigInt64Array;
  sumsAt: number;
  /** Where a kernel that returns sums stores them (as float64). */
  results: Float64Array;
  resultsAt: number;
  work: Uint8Array;
  stream: Uint16Array;
  file: Uint8Array;
}

export class KernelArena {
  static bytesFor(needs: ArenaNeeds): number {
    return regions(needs).end;
  }

  /** A fresh arena just big enough: for a caller that keeps none. */
  static fresh(needs: ArenaNeeds): ArenaLayout {
    return new KernelArena(KernelArena.bytesFor(needs)).layout(needs);
  }

  readonly bytes: number;
  readonly #memory: WebAssembly.Memory;
  readonly #kernels: Kernels;

  constructor(bytes: number) {
    const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
    this.#memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.#kernels = new WebAssembly.Instance(KERNELS, { env: { memory: this.#memory } }).exports as unknown as Kernels;
    this.bytes = pages * WASM_PAGE;
  }

  /** The views for one readout; the sums are zeroed, everything else is stale. */
  layout(needs: ArenaNeeds): ArenaLayout {
    const at = regions(needs);
    if (at.end > this.bytes) throw new RangeError(`KernelArena: ${this.bytes} bytes are too few for this readout (${at.end})`);
    const { buffer } = this.#memory;
    return {
      kernels: this.#kernels,
      sums: new BigInt64Array(buffer, 0, needs.amps * SUM_SLOTS).fill(0n),
      sumsAt: 0,
      results: new Float64Array(buffer, needs.amps * SUM_BYTES, RESULT_BYTES / 8),
      resultsAt: needs.amps * SUM_BYTES,
      work: new Uint8Array(buffer, at.work, needs.workBytes),
      stream: new Uint16Array(buffer, at.stream, needs.pixels),
      file: new Uint8Array(buffer, at.file, needs.fileBytes),
    };
  }
}

/** Where each region starts: sums (and results), work, stream, file, each on a 64-byte boundary. */
function regions({ amps, workBytes, pixels, fileBytes }: ArenaNeeds) {
  const work = roundUp(amps * SUM_BYTES + RESULT_BYTES, ALIGN);
  const stream = work + roundUp(workBytes, ALIGN);
  const file = stream + roundUp(pixels * 2, ALIGN);
  return { work, stream, file, end: file + fileBytes };
}

/** `bytes` rounded up to a whole number of `boundary`. */
export function roundUp(bytes: number, boundary: number): number {
  return Math.ceil(bytes / boundary) * boundary;
}
