/**
 * Python's `repr` of the values a reply may nest in a list: azcam writes such an element with
 * `str(x)`, so a list in a list reaches the client as `['EXPTIME', 0.0, 'Exposure time', 'float']`.
 */

/** Text that is already a Python literal (a float as `pythonFloat` spells it: `0.0`). */
export class PythonLiteral {
  constructor(readonly text: string) {}
}

export function pythonRepr(value: unknown): string {
  if (value instanceof PythonLiteral) return value.text;
  if (typeof value === 'string') return pythonStr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${pythonStr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
  }
  return String(value);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** In single quotes, or double ones when the text holds a `'` and no `"`, escaped as Python escapes it. */
function pythonStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/[\\\n\r\t\x00-\x1f\x7f]/g, (ch) => ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return quote + (quote === "'" ? escaped.replaceAll("'", "\\'") : escaped) + quote;
}
