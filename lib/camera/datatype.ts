import { DECIMAL } from '../dispatch/arguments.js';
import type { KeywordType } from './header.js';

/** A value as azcam's `get_datatype` types it: its type name, and the value of that type. */
export interface Typed {
  type: KeywordType;
  value: number | string;
}

/**
 * azcam's `get_datatype`: only digits (no sign) are an int, anything Python's float() reads is a
 * float ("-5" is -5.0), anything else a string.
 */
export function azcamDatatype(raw: string): Typed {
  if (/^\d+$/.test(raw)) return { type: 'int', value: Number(raw) };
  if (DECIMAL.test(raw.trim())) return { type: 'float', value: Number(raw.trim()) };
  return { type: 'str', value: raw };
}
