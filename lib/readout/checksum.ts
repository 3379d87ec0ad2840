/**
 * The FITS checksum convention (FITS Standard 4.0, appendix J): DATASUM is the 32-bit ones'
 * complement sum of a data unit's big-endian words, CHECKSUM a 16-character encoding of the
 * complement of the whole HDU's sum, chosen so that the HDU with it sums to -0 (all ones).
 *
 * A sum is carried as the plain sums of the words' high and low 16-bit halves (`HalfSums`), which
 * any pass over the data can add to in any order, and folded with end-around carries at the end.
 */
import { LITTLE_ENDIAN } from './byte-order.js';

/** Sums of the high and of the low 16-bit halves of big-endian 32-bit words (exact below 2^53). */
export interface HalfSums {
  high: number;
  low: number;
}

export const noHalfSums = (): HalfSums => ({ high: 0, low: 0 });

/** The 32-bit ones' complement sum of the words whose halves these are. */
export function foldSums({ high, low }: HalfSums): number {
  while (high > 0xffff || low > 0xffff) {
    const highCarry = Math.floor(high / 0x10000);
    const lowCarry = Math.floor(low / 0x10000);
    high = (high % 0x10000) + lowCarry;
    low = (low % 0x10000) + highCarry;
  }
  return high * 0x10000 + low;
}

/** Ones' complement sum of two folded sums. */
export function addSums(a: number, b: number): number {
  return foldSums({ high: Math.floor(a / 0x10000) + Math.floor(b / 0x10000), low: (a % 0x10000) + (b % 0x10000) });
}

/** Adds the big-endian words of `bytes` (a multiple of 4 long) to `sums`. */
export function addBytes(bytes: Uint8Array, sums: HalfSums): HalfSums {
  if (bytes.length % 4 !== 0) throw new RangeError(`checksum over ${bytes.length} bytes: not whole 32-bit words`);
  return bytes.byteOffset % 4 === 0 ? addWords(bytes, sums) : addEachByte(bytes, sums);
}

function addEachByte(bytes: Uint8Array, sums: HalfSums): HalfSums {
  let high = 0;
  let low = 0;
  for (let i = 0; i < bytes.length; i += 4) {
    high += (bytes[i] << 8) | bytes[i + 1];
    low += (bytes[i + 2] << 8) | bytes[i + 3];
  }
  sums.high += high;
  sums.low += low;
  return sums;
}

/**
 * addEachByte a word at a time, in either byte order: each byte lane of the words is summed on
 * its own (two lanes per accumulator, 16 bits apart, flushed before the lower one can overflow).
 */
function addWords(bytes: Uint8Array, sums: HalfSums): HalfSums {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const lanes = [0, 0, 0, 0]; // by the byte's place in the file's word
  for (let start = 0; start < words.length; start += 256) {
    const end = Math.min(words.length, start + 256);
    let evenBytes = 0; // bytes 0 and 2 of each word in memory
    let oddBytes = 0; // bytes 1 and 3
    for (let i = start; i < end; i++) {
      const word = words[i];
      evenBytes += word & 0x00ff00ff;
      oddBytes += (word >>> 8) & 0x00ff00ff;
    }
    lanes[LITTLE_ENDIAN ? 0 : 1] += evenBytes & 0xffff;
    lanes[LITTLE_ENDIAN ? 2 : 3] += evenBytes >>> 16;
    lanes[LITTLE_ENDIAN ? 1 : 0] += oddBytes & 0xffff;
    lanes[LITTLE_ENDIAN ? 3 : 2] += oddBytes >>> 16;
  }
  sums.high += lanes[0] * 256 + lanes[1];
  sums.low += lanes[2] * 256 + lanes[3];
  return sums;
}

/** The 16 characters of CHECKSUM for an HDU whose sum, with CHECKSUM = '0000000000000000', is `sum`. */
export function encodeChecksum(sum: number): string {
  const value = 0xffffffff - sum; // the complement
  const chars = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    const byte = Math.floor(value / 2 ** (8 * (3 - i))) & 0xff;
    const quotient = (byte >> 2) + ZERO;
    const ch = [quotient + (byte & 3), quotient, quotient, quotient];
    // Keep to letters and digits: move pairs off punctuation, which keeps their sum.
    for (let moved = true; moved; ) {
      moved = false;
      for (let j = 0; j < 4; j += 2) {
        while (PUNCTUATION.has(ch[j]) || PUNCTUATION.has(ch[j + 1])) {
          ch[j]++;
          ch[j + 1]--;
          moved = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) chars[4 * j + i] = ch[j];
  }
  // Rotated right by one byte, which undoes the rotation the 32-bit sum of the text applies.
  return String.fromCharCode(...chars.map((_, i) => chars[(i + 15) % 16]));
}

const ZERO = 0x30;
const PUNCTUATION = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);
