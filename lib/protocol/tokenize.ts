import { ParseError } from '../errors.js';

/**
 * Shell-like word splitting, in the two flavours the protocol needs:
 * - commands: quotes group words, `#` starts a comment, backslashes are literal (lab PCs run
 *   Windows, and `C:\data` must stay `C:\data`);
 * - replies: Python `shlex.split` (POSIX) rules, so our client splits exactly as azcam's does.
 */
export interface Token {
  value: string;
  /** Index in `value` where the first quoted part begins (value.length when unquoted). */
  firstQuote: number;
}

interface Flavour {
  comments: boolean;
  escapes: boolean;
  whitespace: RegExp;
  /** A run of ordinary characters (sticky): taken in one step rather than one by one. */
  ordinary: RegExp;
}

const COMMAND: Flavour = { comments: true, escapes: false, whitespace: /\s/, ordinary: /[^\s"'#]+/y };
// Python's shlex splits on these four only (a no-break space is part of a word).
const SHLEX: Flavour = { comments: false, escapes: true, whitespace: /[ \t\r\n]/, ordinary: /[^ \t\r\n"'\\]+/y };

export function tokenizeCommand(line: string): Token[] {
  return tokenize(line, COMMAND);
}

/** Python `shlex.split(text)`. */
export function shlexSplit(text: string): string[] {
  return tokenize(text, SHLEX).map((token) => token.value);
}

/** Python `shlex.quote(word)`: the word unchanged when safe, else single-quoted. */
export function shlexQuote(word: string): string {
  if (word === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

function tokenize(text: string, flavour: Flavour): Token[] {
  const tokens: Token[] = [];
  let value = '';
  let firstQuote = -1;
  let inToken = false;
  let i = 0;
  const finish = (): void => {
    if (inToken) tokens.push({ value, firstQuote: firstQuote === -1 ? value.length : firstQuote });
    value = '';
    firstQuote = -1;
    inToken = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (flavour.whitespace.test(ch)) {
      finish();
      i++;
    } else if (ch === '#' && flavour.comments) {
      break;
    } else if (ch === '"' || ch === "'") {
      if (firstQuote === -1) firstQuote = value.length;
      inToken = true;
      const [quoted, next] = readQuoted(text, i, flavour);
      value += quoted;
      i = next;
    } else if (ch === '\\' && flavour.escapes) {
      if (i + 1 === text.length) throw new ParseError('no escaped character');
      inToken = true;
      value += text[i + 1];
      i += 2;
    } else {
      inToken = true;
      flavour.ordinary.lastIndex = i;
      value += flavour.ordinary.exec(text)![0];
      i = flavour.ordinary.lastIndex;
    }
  }
  finish();
  return tokens;
}

/** Reads a quoted section starting at `open`; returns its content and the index after it. */
function readQuoted(text: string, open: number, flavour: Flavour): [string, number] {
  const quote = text[open]!;
  let content = '';
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === quote) return [content, i + 1];
    // As in shlex (not sh): within double quotes a backslash escapes only `\` and `"`.
    const next = text[i + 1];
    if (ch === '\\' && quote === '"' && flavour.escapes && (next === '\\' || next === '"')) {
      content += next;
      i++;
    } else {
      content += ch;
    }
  }
  throw new ParseError('no closing quotation');
}
