/**
 * Independent FITS readers for tests: astropy (through the Debian /usr/bin/python3, since the
 * pyenv python3 on PATH has no astropy), fitsverify, and the fitsjs npm package. Tests call
 * `this.skip()` when astropyPython() or fitsverifyPath() is undefined.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const PYTHON = '/usr/bin/python3';
const FITSVERIFY = '/usr/bin/fitsverify';

let python: string | undefined | null = null;

/** The python interpreter that has astropy, or undefined when there is none. */
export function astropyPython(): string | undefined {
  if (python === null) {
    const probe = spawnSync(PYTHON, ['-c', 'import astropy.io.fits, numpy'], { timeout: 20000 });
    python = probe.status === 0 ? PYTHON : undefined;
  }
  return python;
}

export function fitsverifyPath(): string | undefined {
  return existsSync(FITSVERIFY) ? FITSVERIFY : undefined;
}

// Runs the (dedented) snippet with `path`, `fits`, `np`, `json` and `sys` in scope; the snippet
// sets `result`, which comes back as JSON (numpy values through .tolist()).
const PRELUDE = `
import json, sys, textwrap
import numpy as np
from astropy.io import fits
scope = {'path': sys.argv[1], 'fits': fits, 'np': np, 'json': json, 'sys': sys}
exec(textwrap.dedent(sys.argv[2]), scope)
print(json.dumps(scope['result'], default=lambda o: o.tolist() if hasattr(o, 'tolist') else str(o)))
`;

/**
 * Runs a python snippet under astropy with the file path as sys.argv[1] (also bound as `path`);
 * the snippet assigns `result`, returned parsed from JSON. Rejects with python's stderr on failure.
 */
export async function readWithAstropy<T = unknown>(file: string, snippet: string): Promise<T> {
  const interpreter = astropyPython();
  if (!interpreter) throw new Error('astropy is not installed');
  const stdout = await run(interpreter, ['-c', PRELUDE, file, snippet]);
  return JSON.parse(stdout) as T;
}

export interface FitsverifyReport {
  errors: number;
  warnings: number;
  output: string;
}

export async function runFitsverify(file: string): Promise<FitsverifyReport> {
  const verifier = fitsverifyPath();
  if (!verifier) throw new Error('fitsverify is not installed');
  // fitsverify exits non-zero when it finds errors; the report is on stdout either way.
  const output = await run(verifier, [file], true);
  const summary = /(\d+) warning\(s\) and (\d+) error\(s\)/.exec(output);
  if (!summary) throw new Error(`unexpected fitsverify output:\n${output}`);
  return { warnings: Number(summary[1]), errors: Number(summary[2]), output };
}

function run(command: string, args: string[], anyExitCode = false): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 << 20, timeout: 60000 }, (error, stdout, stderr) => {
      if (error && !(anyExitCode && typeof error.code === 'number')) {
        reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** A parsed header: get() gives a card's value (numbers parsed, strings unquoted and trimmed). */
export interface FitsjsHeader {
  get(key: string): unknown;
  contains(key: string): boolean;
  /** COMMENT and HISTORY texts are in cards.COMMENT and cards.HISTORY. */
  cards: Record<string, unknown>;
  getDataLength(): number;
  hasDataUnit(): boolean;
}

/** One HDU as fitsjs sees it. */
export interface FitsjsHdu {
  header: FitsjsHeader;
  width?: number;
  height?: number;
  /** Pixels with BZERO/BSCALE applied (BITPIX 16 data come back as uint16 values). */
  pixels?: Uint16Array | Float32Array;
}

interface FitsjsImage {
  width: number;
  height: number;
  bitpix: number;
  bzero: number;
  bscale: number;
  _getFrame(buffer: ArrayBuffer, bitpix: number, bzero: number, bscale: number): Int16Array | Float32Array;
}

interface Fitsjs {
  astro: {
    FITS: {
      Header: new (block: string) => FitsjsHeader;
      Image: new (header: FitsjsHeader, data: ArrayBuffer) => FitsjsImage;
    };
  };
}

/**
 * Reads a FITS file with fitsjs's header parser and image decoder. fitsjs's own file walker
 * (astro.FITS) needs the browser's FileReader and Web Workers, so the HDUs are walked here:
 * header blocks up to END, data padded to 2880 bytes. Returns the header-order warnings fitsjs
 * prints through console.warn, so a test can require none.
 */
export function readWithFitsjs(file: Uint8Array): { hdus: FitsjsHdu[]; warnings: string[] } {
  const { FITS } = (createRequire(import.meta.url)('fitsjs') as Fitsjs).astro;
  const hdus: FitsjsHdu[] = [];
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    for (let offset = 0; offset < file.length; ) {
      const headerEnd = endOfHeader(file, offset);
      const header = new FITS.Header(Buffer.from(file.subarray(offset, headerEnd)).toString('latin1'));
      const dataLength = header.getDataLength();
      const data = file.slice(headerEnd, headerEnd + dataLength).buffer;
      hdus.push(header.hasDataUnit() ? decodeImage(header, new FITS.Image(header, data), data) : { header });
      offset = headerEnd + Math.ceil(dataLength / 2880) * 2880;
    }
  } finally {
    console.warn = warn;
  }
  return { hdus, warnings };
}

function decodeImage(header: FitsjsHeader, image: FitsjsImage, data: ArrayBuffer): FitsjsHdu {
  const frame = image._getFrame(data, image.bitpix, image.bzero, image.bscale);
  // fitsjs stores bzero + value back into an Int16Array, which wraps; reinterpret as unsigned.
  const pixels = frame instanceof Int16Array ? new Uint16Array(frame.buffer, frame.byteOffset, frame.length) : frame;
  return { header, width: image.width, height: image.height, pixels };
}

function endOfHeader(file: Uint8Array, offset: number): number {
  for (let card = offset; card + 80 <= file.length; card += 80) {
    if (Buffer.from(file.subarray(card, card + 8)).toString('latin1') === 'END     ') {
      return offset + Math.ceil((card + 80 - offset) / 2880) * 2880;
    }
  }
  throw new Error(`no END card after byte ${offset}`);
}
