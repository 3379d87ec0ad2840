/**
 * A minimal FITS reader for these specs (independent of lib/readout/fits.ts): header cards of
 * every HDU and their 2-D pixels (BITPIX 16 with BZERO, or -32), big-endian, 2880-byte blocks.
 */
export type CardValue = string | number | bigint | boolean | undefined;

export interface ReadHdu {
  cards: Map<string, CardValue>;
  keys: string[];
  width: number;
  height: number;
  bitpix: number;
  /** Physical values (BZERO applied). */
  pixels: Float64Array;
}

const BLOCK = 2880;

export function readFits(bytes: Uint8Array): ReadHdu[] {
  const hdus: ReadHdu[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { cards, keys, end } = readHeader(bytes, offset);
    const hdu = withPixels(bytes, end, cards, keys);
    hdus.push(hdu);
    offset = end + Math.ceil((hdu.width * hdu.height * Math.abs(hdu.bitpix)) / 8 / BLOCK) * BLOCK;
  }
  return hdus;
}

/** The cards of the primary header: keyword → value (strings unquoted and trimmed, numbers, an integer past 2^53 a bigint, booleans). */
export function readPrimaryHeader(bytes: Uint8Array): Map<string, CardValue> {
  return readHeader(bytes, 0).cards;
}

function readHeader(bytes: Uint8Array, offset: number): { cards: Map<string, CardValue>; keys: string[]; end: number } {
  const cards = new Map<string, CardValue>();
  const keys: string[] = [];
  for (let at = offset; at < bytes.length; at += 80) {
    const card = Buffer.from(bytes.subarray(at, at + 80)).toString('latin1');
    const key = card.slice(0, 8).trim();
    if (key === 'END') return { cards, keys, end: offset + Math.ceil((at + 80 - offset) / BLOCK) * BLOCK };
    keys.push(key);
    if (card.slice(8, 10) === '= ') cards.set(key, parseValue(card.slice(10)));
  }
  throw new Error('no END card');
}

function parseValue(text: string): CardValue {
  const trimmed = text.trim();
  if (trimmed.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'/.exec(trimmed);
    return match ? match[1].replace(/''/g, "'").trimEnd() : undefined;
  }
  const value = trimmed.split('/')[0].trim();
  if (value === 'T') return true;
  if (value === 'F') return false;
  return /^[+-]?\d+$/.test(value) && !Number.isSafeInteger(Number(value)) ? BigInt(value) : Number(value);
}

function withPixels(bytes: Uint8Array, at: number, cards: Map<string, CardValue>, keys: string[]): ReadHdu {
  const bitpix = Number(cards.get('BITPIX'));
  const naxis = Number(cards.get('NAXIS'));
  const width = naxis > 0 ? Number(cards.get('NAXIS1')) : 0;
  const height = naxis > 1 ? Number(cards.get('NAXIS2')) : 0;
  const bzero = Number(cards.get('BZERO') ?? 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset + at);
  const pixels = new Float64Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = bitpix === 16 ? view.getInt16(i * 2) + bzero : view.getFloat32(i * 4);
  }
  return { cards, keys, width, height, bitpix, pixels };
}
