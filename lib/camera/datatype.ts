import { pythonFloat } from '../protocol/reply.js';

/** A value as azcam's `get_datatype` types it: its type name, and the value of that type. */
export type Typed = TypedNumber | { type: 'str'; value: string };
type TypedNumber = { type: 'int' | 'float'; value: number };

const DIGITS = String.raw`\d+(?:_\d+)*`;

/**
 * A number as Python's float() reads one, a literal's single underscores between digits included
 * (`1_000.5`); wider than the DECIMAL that command arguments must match.
 */
const PYTHON_FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:e[+-]?${DIGITS})?$`, 'i');

/**
 * azcam's `get_datatype`: only digits (no sign) are an int, a number Python's float() reads is a
 * float ("-5" is -5.0, "1_000" is 1000.0), anything else a string.
 *
 * Unlike azcam, what would not be a finite number stays a string: "inf", "infinity" and "nan"
 * (which float() reads), and a number too large for a double ("1e999"). FITS has no non-finite
 * values (astropy refuses to write such a card), so a header template never gets one; a parameter
 * replies `OK inf` all the same, and is saved as text in the JSON parameter file (which has no
 * infinity).
 */
export function azcamDatatype(raw: string): Typed {
  const number = pythonNumber(raw);
  return number && Number.isFinite(number.value) ? number : { type: 'str', value: raw };
}

function pythonNumber(raw: string): TypedNumber | undefined {
  if (/^\d+$/.test(raw)) return { type: 'int', value: Number(raw) };
  const text = raw.trim();
  return PYTHON_FLOAT.test(text) ? { type: 'float', value: Number(text.replaceAll('_', '')) } : undefined;
}

/** The value as Python's str() writes it: a float keeps its point (`2.0`), as azcam replies and saves it. */
export function typedText(typed: Typed): string {
  return typed.type === 'float' ? pythonFloat(typed.value) : String(typed.value);
}

/**
 * A value read back from the parameter file: text is typed again as when it was set (azcam keeps
 * its file's text as it is, which for text we wrote is the same reply); a number (as files
 * written before held them) is an int when whole.
 */
export function savedTyped(saved: unknown): Typed {
  if (typeof saved === 'number' && Number.isFinite(saved)) return { type: Number.isInteger(saved) ? 'int' : 'float', value: saved };
  return azcamDatatype(String(saved));
}
