/**
 * A pure FITS encoder (FITS Standard 4.0): a primary HDU plus IMAGE extensions, 2-D images of
 * uint16 (written as BITPIX 16 with BZERO 32768) or float32 (BITPIX -32). No I/O.
 *
 * A string value too long for one card is written with the long-string convention (CONTINUE
 * cards); a comment is cut at column 80.
 */
import { InvalidArgumentError } from '../errors.js';
import { LITTLE_ENDIAN } from './byte-order.js';
import { isEncoderKeyword } from './fits-keywords.js';
import { addBytes, addSums, encodeChecksum, foldSums, noHalfSums, type HalfSums } from './checksum.js';

/**
 * A number to be written as a floating-point card even when integral (EXPTIME = 1.0). Plain data,
 * so a card crosses to a worker thread as it is.
 */
export interface FitsFloat {
  readonly float: number;
}

export function fitsFloat(value: number): FitsFloat {
  return { float: value };
}

/** A safe integer or a bigint (every digit) is written as an integer card; any other number as a float card. */
export type CardValue = string | number | bigint | boolean | FitsFloat;

/** A header card. key: up to 8 chars [A-Z0-9_-]. value omitted => commentary card (COMMENT/HISTORY/blank) with `comment` as its text. */
export interface HeaderCard {
  key: string;
  value?: CardValue;
  comment?: string;
}

export interface FitsImage {
  width: number;
  height: number;
  data: Uint16Array | Float32Array;
}

export interface Hdu {
  cards: HeaderCard[];
  image?: FitsImage;
}

const BLOCK = 2880;
const CARD = 80;
/** The longest string value one card holds, quotes doubled: between the quote in column 11 and column 80. */
export const MAX_STRING = CARD - 12;
/** The longest value one card holds: bytes 11 through 80. */
const MAX_VALUE = CARD - 10;
/** The longest text any card holds: a commentary card's, after its 8-character keyword. */
export const MAX_COMMENT = CARD - 8;
const KEYWORD = /^[A-Z0-9_-]{1,8}$/;
/** What a FITS header may hold: printable ASCII. */
export const PRINTABLE = /^[\x20-\x7e]*$/;
const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);

/** Throws InvalidArgumentError if a keyword/value cannot be written to a FITS header. */
export function validateCard(card: HeaderCard): void {
  const { key, value, comment } = card;
  const commentary = value === undefined;
  if (!(commentary && key === '') && !KEYWORD.test(key)) {
    throw new InvalidArgumentError(`invalid FITS keyword: ${key}`);
  }
  if (commentary !== COMMENTARY.has(key)) {
    throw new InvalidArgumentError(
      commentary ? `FITS keyword ${key} needs a value` : `FITS keyword ${key} takes no value`,
    );
  }
  if (comment !== undefined && !PRINTABLE.test(comment)) {
    throw new InvalidArgumentError(`FITS comment for ${key} must be printable ASCII`);
  }
  if (!commentary) validateValue(key, value);
}

function validateValue(key: string, value: unknown): void {
  if (typeof value === 'string') {
    if (!PRINTABLE.test(value)) {
      throw new InvalidArgumentError(`FITS header value for ${key} must be printable ASCII`);
    }
  } else if (typeof value === 'number' || isFitsFloat(value)) {
    if (!Number.isFinite(typeof value === 'number' ? value : value.float)) {
      throw new InvalidArgumentError(`FITS header value for ${key} must be a finite number`);
    }
  } else if (typeof value === 'bigint') {
    // The standard sets no range for an integer, only the card's width (astropy cuts the digits past it).
    if (String(value).length > MAX_VALUE) {
      throw new InvalidArgumentError(`FITS integer value for ${key} too long: at most ${MAX_VALUE} characters fit a card`);
    }
  } else if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`invalid FITS header value for ${key}: ${String(value)}`);
  }
}

/**
 * A card's 80-character image; a long string value gives several (exported for tests and for
 * header validation elsewhere).
 */
export function formatCard(card: HeaderCard): string {
  validateCard(card);
  const key = card.key.padEnd(8);
  if (card.value === undefined) return (key + (card.comment ?? '')).slice(0, CARD).padEnd(CARD);
  if (isLongString(card)) return longStringCards(key, card.value as string, card.comment ?? '');
  return cardImage(`${key}= ${formatValue(card.value)}`, card.comment ?? '');
}

function cardImage(text: string, comment: string): string {
  const withComment = comment !== '' && text.length + 3 < CARD ? `${text} / ${comment}` : text;
  return withComment.slice(0, CARD).padEnd(CARD);
}

/**
 * A string too long for one card, as the FITS long-string convention writes it (Standard 4.0,
 * section 4.2.1.2): every piece but the last ends in '&' and the rest follow in CONTINUE cards;
 * the comment goes on the last card.
 */
function longStringCards(key: string, value: string, comment: string): string {
  const pieces = quotedPieces(value, MAX_STRING - 1);
  return pieces
    .map((piece, i) => {
      const last = i === pieces.length - 1;
      const head = i === 0 ? `${key}= ` : 'CONTINUE  ';
      return cardImage(`${head}'${piece}${last ? '' : '&'}'`, last ? comment : '');
    })
    .join('');
}

/** The value with its quotes doubled, cut into pieces of at most `size` (never inside a pair). */
function quotedPieces(value: string, size: number): string[] {
  const pieces = [''];
  for (const ch of value) {
    const escaped = ch === "'" ? "''" : ch;
    if (pieces[pieces.length - 1]!.length + escaped.length > size) pieces.push('');
    pieces[pieces.length - 1] += escaped;
  }
  return pieces;
}

function formatValue(value: CardValue): string {
  if (typeof value === 'string') return formatString(value).padEnd(20);
  if (typeof value === 'boolean') return (value ? 'T' : 'F').padStart(20);
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return String(value).padStart(20);
  return formatFloat(typeof value === 'number' ? value : value.float).padStart(20);
}

function isFitsFloat(value: unknown): value is FitsFloat {
  return typeof value === 'object' && value !== null && typeof (value as { float?: unknown }).float === 'number';
}

/** A string value's length in a card, its quotes doubled. */
export function quotedLength(value: string): number {
  return value.length + (value.match(/'/g)?.length ?? 0);
}

/** A string that fits one card. */
function formatString(value: string): string {
  return `'${value.replace(/'/g, "''").padEnd(8)}'`;
}

/** JS's shortest round-tripping form, always with a '.' so that readers see a float. */
function formatFloat(value: number): string {
  const [mantissa, exponent] = String(value).toUpperCase().split('E');
  const withPoint = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withPoint : `${withPoint}E${exponent}`;
}

/** What a header says of its data unit. */
export interface ImageShape {
  width: number;
  height: number;
  bitpix: 16 | -32;
}

/**
 * hdus[0] is the primary HDU, the rest IMAGE extensions. Returns the whole file at the start of
 * the buffer that `allocate` gives for its size. By default that is a fresh buffer of exactly that
 * size; a lent one may be longer and hold stale bytes (every byte of the file is written). Each
 * HDU gets its CHECKSUM and DATASUM.
 */
export function encodeFits(hdus: Hdu[], allocate: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes)): Uint8Array<ArrayBuffer> {
  if (hdus.length === 0) throw new InvalidArgumentError('a FITS file needs a primary HDU');
  const shapes = hdus.map((hdu) => (hdu.image ? imageShape(hdu.image) : undefined));
  const headers = hdus.map((hdu, i) => headerText(hdu.cards, shapes[i], i === 0 ? hdus.length - 1 : undefined));
  const size = headers.reduce((sum, h, i) => sum + padded(h.length) + paddedDataBytes(shapes[i]), 0);
  const buffer = allocate(size);
  const file = Buffer.from(buffer, 0, size);
  let offset = 0;
  hdus.forEach((hdu, i) => {
    const dataOffset = offset + padded(headers[i].length);
    const dataEnd = dataOffset + paddedDataBytes(shapes[i]);
    if (hdu.image) writeData(file, dataOffset, hdu.image.data);
    file.fill(0, dataOffset + (hdu.image?.data.byteLength ?? 0), dataEnd);
    writeHeader(file, offset, headers[i], addBytes(file.subarray(dataOffset, dataEnd), noHalfSums()));
    offset = dataEnd;
  });
  return new Uint8Array(buffer, 0, size);
}

/** Bytes rounded up to whole 2880-byte blocks. */
export function padded(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}

/** The size of a data unit in the file, padding included. */
export function paddedDataBytes(shape: ImageShape | undefined): number {
  return shape ? padded((shape.width * shape.height * Math.abs(shape.bitpix)) / 8) : 0;
}

export function imageShape(image: FitsImage): ImageShape {
  validateImage(image);
  return { width: image.width, height: image.height, bitpix: image.data instanceof Float32Array ? -32 : 16 };
}

/**
 * A header's cards up to END, unpadded: the mandatory cards, the caller's, then CHECKSUM (zeros
 * until writeHeader fills it) and DATASUM (zeros until writeHeader fills it); its length does
 * not depend on the card values. extensions: the number of extensions for the primary HDU,
 * undefined for an extension.
 */
export function headerText(cards: HeaderCard[], shape: ImageShape | undefined, extensions: number | undefined): string {
  const caller = callerCards(cards);
  const all = [...mandatoryCards(shape, extensions), ...(caller.some(isLongString) ? [LONGSTRN] : []), ...caller];
  return all.map(formatCard).join('') + CHECKSUM_CARD + DATASUM_CARD + 'END'.padEnd(CARD);
}

/** Announces CONTINUE cards, as fitsverify asks (the HEASARC convention). */
const LONGSTRN: HeaderCard = { key: 'LONGSTRN', value: 'OGIP 1.0', comment: 'The OGIP long string convention may be used' };

function isLongString({ value }: HeaderCard): boolean {
  return typeof value === 'string' && quotedLength(value) > MAX_STRING;
}

/**
 * Writes a header at `offset`, padded with blanks, with its DATASUM (the ones' complement sum of
 * its data unit, padding included) and the CHECKSUM that makes the whole HDU sum to -0.
 */
export function writeHeader(file: Buffer, offset: number, text: string, data: HalfSums): void {
  const end = offset + padded(text.length);
  const dataSum = foldSums(data);
  const valueAt = (fromEnd: number) => offset + text.length - fromEnd * CARD + 11;
  file.write(text, offset, 'latin1');
  file.fill(' ', offset + text.length, end);
  file.write(String(dataSum).padEnd(SUM_WIDTH), valueAt(2), 'latin1');
  const headerSum = foldSums(addBytes(file.subarray(offset, end), noHalfSums()));
  file.write(encodeChecksum(addSums(headerSum, dataSum)), valueAt(3), 'latin1');
}

/** Width of the CHECKSUM value, and room enough for any 32-bit DATASUM in decimal. */
const SUM_WIDTH = 16;
const CHECKSUM_CARD = formatCard({ key: 'CHECKSUM', value: '0'.repeat(SUM_WIDTH), comment: 'HDU checksum' });
const DATASUM_CARD = formatCard({ key: 'DATASUM', value: '0'.repeat(SUM_WIDTH), comment: 'data unit checksum' });

function mandatoryCards(image: ImageShape | undefined, extensions: number | undefined): HeaderCard[] {
  const primary = extensions !== undefined;
  const floats = image?.bitpix === -32;
  const axes: HeaderCard[] = image
    ? [{ key: 'NAXIS', value: 2 }, { key: 'NAXIS1', value: image.width }, { key: 'NAXIS2', value: image.height }]
    : [{ key: 'NAXIS', value: 0 }];
  return [
    primary ? { key: 'SIMPLE', value: true } : { key: 'XTENSION', value: 'IMAGE' },
    { key: 'BITPIX', value: floats ? -32 : 16 },
    ...axes,
    ...(primary ? [{ key: 'EXTEND', value: true }] : [{ key: 'PCOUNT', value: 0 }, { key: 'GCOUNT', value: 1 }]),
    ...(extensions ? [{ key: 'NEXTEND', value: extensions }] : []),
    ...(image && !floats ? [{ key: 'BZERO', value: 32768 }, { key: 'BSCALE', value: 1 }] : []),
  ];
}

function callerCards(cards: HeaderCard[]): HeaderCard[] {
  const seen = new Set<string>();
  for (const { key, value } of cards) {
    if (isEncoderKeyword(key)) throw new InvalidArgumentError(`FITS keyword ${key} is written by the encoder`);
    if (value === undefined) continue;
    if (seen.has(key)) throw new InvalidArgumentError(`duplicate FITS keyword: ${key}`);
    seen.add(key);
  }
  return cards;
}

function validateImage({ width, height, data }: FitsImage): void {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new InvalidArgumentError(`invalid FITS image size: ${width}x${height}`);
  }
  if (!(data instanceof Uint16Array || data instanceof Float32Array)) {
    throw new InvalidArgumentError('FITS image data must be a Uint16Array or a Float32Array');
  }
  if (data.length !== width * height) {
    throw new InvalidArgumentError(`FITS image data has ${data.length} pixels, expected ${width}x${height}`);
  }
}

/** Big-endian pixels at `offset` (a multiple of 2880, so aligned for any typed array). */
function writeData(file: Buffer, offset: number, data: Uint16Array | Float32Array): void {
  const span = file.subarray(offset, offset + data.byteLength);
  if (data instanceof Uint16Array) {
    new Uint16Array(file.buffer, offset, data.length).set(data);
    flipTopBits(file.buffer, offset, data.length);
    if (LITTLE_ENDIAN) span.swap16();
  } else {
    span.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (LITTLE_ENDIAN) span.swap32();
  }
}

/**
 * BZERO 32768: stored int16 = v - 32768, which in two's complement is v with its top bit flipped.
 * Flips it in `count` uint16 pixels at `offset` (a multiple of 8), four per 64-bit word. This is
 * the encoder's one pass over the pixels in JavaScript (the copy and the byte swap are native);
 * V8 compiles BigUint64Array XORs to plain 64-bit instructions, about three times faster than a
 * loop over 32-bit words.
 */
function flipTopBits(buffer: ArrayBufferLike, offset: number, count: number): void {
  const words = new BigUint64Array(buffer, offset, count >> 2);
  const length = words.length;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    words[i] ^= TOP_BITS;
    words[i + 1] ^= TOP_BITS;
    words[i + 2] ^= TOP_BITS;
    words[i + 3] ^= TOP_BITS;
  }
  for (; i < length; i++) words[i] ^= TOP_BITS;
  const pixels = new Uint16Array(buffer, offset, count);
  for (let k = length * 4; k < count; k++) pixels[k] ^= 0x8000;
}

const TOP_BITS = 0x8000_8000_8000_8000n;
