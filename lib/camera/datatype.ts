import { InvalidArgumentError } from '../errors.js';
import { pythonFloat } from '../protocol/reply.js';
import { finitePythonFloatOf } from './python-numbers.js';

/**
 * A value as azcam's `get_datatype` types it: its type name, and the value of that type. An int is
 * a bigint, as Python's int keeps every digit (`12345678901234567890` is not rounded to a double).
 */
export type Typed = { type: 'int'; value: bigint } | { type: 'float'; value: number } | { type: 'str'; value: string };

/** Python's int() refuses a longer text (since 3.11: converting one takes quadratic time). */
export const PYTHON_INT_MAX_DIGITS = 4300;

/**
 * azcam's `get_datatype`: only digits (no sign) are an int, a number Python's float() reads is a
 * float ("-5" is -5.0, "1_000" is 1000.0), anything else a string. More digits than Python's int()
 * reads are refused, as azcam's int() raises.
 *
 * Unlike azcam, what would not be a finite number stays a string: "inf", "infinity" and "nan"
 * (which float() reads), and a number too large for a double ("1e999"). FITS has no non-finite
 * values (astropy refuses to write such a card), so a header template never gets one; a parameter
 * replies `OK inf` all the same, and is saved as text in the JSON parameter file (which has no
 * infinity).
 */
export function azcamDatatype(raw: string): Typed {
  if (/^\d+$/.test(raw)) return { type: 'int', value: pythonInt(raw) };
  const float = finitePythonFloatOf(raw);
  return float === undefined ? { type: 'str', value: raw } : { type: 'float', value: float };
}

function pythonInt(digits: string): bigint {
  if (digits.length > PYTHON_INT_MAX_DIGITS) {
    throw new InvalidArgumentError(`integer too long: ${digits.length} digits (Python int() takes at most ${PYTHON_INT_MAX_DIGITS})`);
  }
  return BigInt(digits);
}

/** The value as Python's str() writes it: a float keeps its point (`2.0`), as azcam replies and saves it. */
export function typedText(typed: Typed): string {
  return typed.type === 'float' ? pythonFloat(typed.value) : String(typed.value);
}

/** A value read back from the parameter file as azcam's `update_pars` sets it: text typed again as when it was set ("007" is 7). */
export function savedTyped(saved: unknown): Typed {
  return savedNumber(saved) ?? azcamDatatype(String(saved));
}

/** A value read back from the parameter file as azcam's `read_parfile` keeps it: text as it is ("007" stays "007"). */
export function savedText(saved: unknown): Typed {
  return savedNumber(saved) ?? { type: 'str', value: String(saved) };
}

/** A number, as files written before held them: an int when whole. */
function savedNumber(saved: unknown): Typed | undefined {
  if (typeof saved !== 'number' || !Number.isFinite(saved)) return undefined;
  return Number.isInteger(saved) ? { type: 'int', value: BigInt(saved) } : { type: 'float', value: saved };
}
