/**
 * azcam's header template (`read_header_file`): one keyword a line, `KEYWORD value / comment`;
 * blank lines and `#` lines are skipped; the value is typed as azcam's `get_datatype` types it.
 */
import { InvalidArgumentError } from '../errors.js';
import { azcamDatatype } from './datatype.js';
import { errorAt, type KeywordSetting } from './header.js';

/** Commentary keywords: FITS gives them no value, and azcam would keep only the last, so their lines are skipped. */
const COMMENTARY = new Set(['COMMENT', 'HISTORY']);

/** The keyword settings of a template, each naming its line in `source` for the error it may cause. */
export function parseHeaderTemplate(text: string, source: string): KeywordSetting[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const origin = `${source} line ${index + 1}`;
    try {
      const setting = parseLine(line.trim(), origin);
      return setting ? [setting] : [];
    } catch (error) {
      throw errorAt(origin, error);
    }
  });
}

function parseLine(line: string, origin: string): KeywordSetting | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const [name = '', rest] = splitOnce(line, /\s/);
  if (COMMENTARY.has(name.toUpperCase())) return undefined;
  if (rest === undefined) throw new InvalidArgumentError(`no value for ${name} (write KEYWORD value / comment)`);
  const [value = '', comment = ''] = splitOnce(rest, /\//).map((part) => part.trim());
  return { name, raw: value, comment, type: azcamDatatype(value).type, origin };
}

/** The text before the first match and the text after it; one element when nothing matches. */
function splitOnce(text: string, separator: RegExp): string[] {
  const match = separator.exec(text);
  return match ? [text.slice(0, match.index), text.slice(match.index + 1)] : [text];
}
