import { expect } from 'chai';
import fc from 'fast-check';
import { ParseError } from '../../lib/errors.js';
import { formatReply } from '../../lib/protocol/reply.js';
import { shlexQuote, shlexSplit, tokenizeCommand } from '../../lib/protocol/tokenize.js';
import { runPython } from './python.js';
import { requireOrSkip } from '../support/requirements.js';

const values = (line: string): string[] => tokenizeCommand(line).map((token) => token.value);

/** Strings full of what shell quoting must get right (no \r or \n: a reply is one line). */
const awkward = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', '  ', '\t', '"', "'", '\\', '#', '$', '`', '=', '*', '\u00a0', '\v', '\f', 'é', '温', '🌡'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }).filter((s) => !/[\r\n]/.test(s)),
  ),
  maxLength: 12,
});

/** The text a client hands to shlex: everything after `OK `. */
function replyText(reply: string): string {
  expect(reply === 'OK' || reply.startsWith('OK ')).to.equal(true, reply);
  return reply.slice(3);
}

/** Python's shlex.split of each text: a list of words, or an error message. */
function pythonShlexSplit(texts: string[]): (string[] | { error: string })[] | undefined {
  const script = `
import shlex
results = []
for text in cases:
    try:
        results.append(shlex.split(text))
    except ValueError as error:
        results.append({"error": str(error)})
`;
  return runPython(script, texts) as (string[] | { error: string })[] | undefined;
}

function ourShlexSplit(text: string): string[] | { error: string } {
  try {
    return shlexSplit(text);
  } catch (error) {
    expect(error).to.be.instanceOf(ParseError);
    return { error: 'error' };
  }
}

/** Compares our split with Python's over many cases; fails on the shortest mismatch. */
function expectSameAsPython(texts: string[]): void {
  const python = pythonShlexSplit(texts);
  if (!python) return;
  const mismatches = texts
    .map((text, i) => ({ text, python: python[i]!, ours: ourShlexSplit(text) }))
    .filter(({ python, ours }) => ('error' in python ? !('error' in ours) : JSON.stringify(python) !== JSON.stringify(ours)))
    .sort((a, b) => a.text.length - b.text.length);
  expect(mismatches[0], 'shlexSplit differs from Python shlex.split').to.equal(undefined);
}

describe('tokenize', () => {
  describe('tokenizeCommand', () => {
    it('splits on runs of spaces and tabs', () => {
      expect(values('  a \t b   c ')).to.deep.equal(['a', 'b', 'c']);
    });

    it('groups words in double or single quotes and removes the quotes', () => {
      expect(values(`a "b c" 'd  e' "it's" 'say "hi"'`)).to.deep.equal(['a', 'b c', 'd  e', "it's", 'say "hi"']);
    });

    it('joins adjacent quoted and unquoted segments into one token', () => {
      expect(values(`ab"c d"'e f'g`)).to.deep.equal(['abc de fg']);
    });

    it('keeps empty quotes as an empty argument', () => {
      expect(values(`a "" ''`)).to.deep.equal(['a', '', '']);
    });

    it('records where the first quoted part of a token begins', () => {
      expect(tokenizeCommand(`plain title="a b" "q"x`).map((token) => token.firstQuote)).to.deep.equal([5, 6, 0]);
    });

    it('starts a comment at # outside quotes', () => {
      expect(values('a b # c d')).to.deep.equal(['a', 'b']);
      expect(values('a b#c')).to.deep.equal(['a', 'b']);
      expect(values('#a')).to.deep.equal([]);
      expect(values(`"a # b" 'c#d'`)).to.deep.equal(['a # b', 'c#d']);
    });

    it('keeps backslashes literal, also in quotes', () => {
      expect(values('C:\\data\\n1.fits "C:\\my data\\" \'x\\\'')).to.deep.equal([
        'C:\\data\\n1.fits',
        'C:\\my data\\',
        'x\\',
      ]);
    });

    it('throws a ParseError on an unbalanced quote', () => {
      expect(() => tokenizeCommand('a "b')).to.throw(ParseError, 'no closing quotation');
      expect(() => tokenizeCommand("a 'b\"")).to.throw(ParseError);
    });
  });

  describe('shlexSplit (Python shlex.split)', () => {
    const cases: [string, string[]][] = [
      ['', []],
      ['  ', []],
      [`a 'b c' "d e"`, ['a', 'b c', 'd e']],
      [`''`, ['']],
      [String.raw`a\ b`, ['a b']],
      [String.raw`a\\b`, [String.raw`a\b`]],
      [String.raw`'a\b'`, [String.raw`a\b`]],
      [String.raw`"a\"b\\c"`, [String.raw`a"b\c`]],
      [String.raw`"a\$b\`c"`, [String.raw`a\$b\`c`]],
      [`a#b # c`, ['a#b', '#', 'c']],
      [`'it'"'"'s'`, ["it's"]],
      ['a\u00a0b', ['a\u00a0b']],
    ];
    for (const [text, words] of cases) {
      it(`splits ${JSON.stringify(text)} like Python`, () => {
        expect(shlexSplit(text)).to.deep.equal(words);
      });
    }

    it('throws a ParseError on an unclosed quote or a trailing backslash', () => {
      expect(() => shlexSplit(`'a`)).to.throw(ParseError);
      expect(() => shlexSplit(`"a\\"`)).to.throw(ParseError);
      expect(() => shlexSplit(`a\\`)).to.throw(ParseError);
    });

    it('agrees with Python shlex.split on awkward text', function () {
      requireOrSkip(this, pythonShlexSplit([]), 'python3');
      const texts = fc.sample(awkward, 1000);
      expectSameAsPython([...cases.map(([text]) => text), ...texts]);
    });
  });

  describe('shlexQuote', () => {
    it('leaves safe words alone and single-quotes the rest', () => {
      expect(shlexQuote('abc-1.5/x=y@z%+:,')).to.equal('abc-1.5/x=y@z%+:,');
      expect(shlexQuote('')).to.equal("''");
      expect(shlexQuote('a b')).to.equal("'a b'");
      expect(shlexQuote("it's")).to.equal(`'it'"'"'s'`);
      expect(shlexQuote('é')).to.equal("'é'");
    });
  });

  // Array replies are azcam's (reply.spec.ts), not shlex.quote's: they need not round-trip (an
  // empty element vanishes), but the console's shlex.split must never raise on one.
  describe("array and string replies: azcam's console can always split them", () => {
    const values = fc.oneof(fc.array(awkward, { maxLength: 6 }), awkward);

    it('through our own shlexSplit', () => {
      fc.assert(
        fc.property(values, (value) => {
          expect(() => shlexSplit(replyText(formatReply(value)))).not.to.throw();
        }),
        { numRuns: 500 },
      );
    });

    it('through Python shlex.split (python3 run once for all cases)', function () {
      const samples = fc.sample(values, 500);
      const python = pythonShlexSplit(samples.map((value) => replyText(formatReply(value))));
      requireOrSkip(this, python, 'python3');
      const failures = samples.flatMap((value, i) => ('error' in python[i]! ? [[value, formatReply(value), python[i]]] : []));
      expect(failures[0], 'value whose reply Python could not split').to.equal(undefined);
    });

    it('and words without spaces or quotes come back as they were sent', () => {
      const plain = fc.array(fc.stringMatching(/^[\w.:,/=+-]+$/), { maxLength: 6 });
      fc.assert(
        fc.property(plain, (words) => {
          expect(shlexSplit(replyText(formatReply(words)))).to.deep.equal(words);
        }),
      );
    });
  });
});
