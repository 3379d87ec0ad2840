/**
 * Numbers read from a client's text as Python's int() and float() read them, which is how azcam
 * converts a value: surrounding whitespace ignored, a sign, decimal digits with single underscores
 * between them (`1_000`); int() takes no point and no exponent (`5.0`, `5e3`), neither takes hex
 * (`0x10`). Python also reads other scripts' digits (`٥`); like every number the server reads,
 * these are refused here.
 */

const DIGITS = String.raw`\d+(?:_\d+)*`;
const PYTHON_INT = new RegExp(`^[+-]?${DIGITS}$`);
const PYTHON_FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:e[+-]?${DIGITS})?$`, 'i');

/** Python's int() of the text, every digit kept; undefined where int() raises ValueError. */
export function pythonIntOf(raw: string): bigint | undefined {
  const text = raw.trim();
  return PYTHON_INT.test(text) ? BigInt(text.replaceAll('_', '')) : undefined;
}

/**
 * Python's float() of the text when that is a finite number; undefined where float() raises, and
 * for what it reads as infinite or not a number (`inf`, `nan`, `1e999`), which FITS cannot hold.
 */
export function finitePythonFloatOf(raw: string): number | undefined {
  const text = raw.trim();
  const value = PYTHON_FLOAT.test(text) ? Number(text.replaceAll('_', '')) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}
