import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../lib/errors.js';
import { errorText, formatError, formatReply, isOkReply, pythonFloat, replyStatus, splitReply } from '../../lib/protocol/reply.js';
import { PythonLiteral } from '../../lib/protocol/python-repr.js';
import { shlexSplit } from '../../lib/protocol/tokenize.js';
import { runPython } from './python.js';
import { requireOrSkip } from '../support/requirements.js';

describe('reply', () => {
  describe('formatReply (the table in PROTOCOL.md "Replies")', () => {
    it('answers nothing with a bare OK', () => {
      expect(formatReply(undefined)).to.equal('OK');
      expect(formatReply(null)).to.equal('OK');
      expect(formatReply('')).to.equal('OK');
    });

    it('passes a string that starts with OK, ERROR or WARNING through as it is', () => {
      for (const text of ['OK', 'OK 1 2', 'ERROR no shutter', 'WARNING cold', 'ERROR', 'OK\tx']) {
        expect(formatReply(text)).to.equal(text);
      }
    });

    it("double-quotes the text after a string's status word where the console could not split it", () => {
      expect(formatReply("OK Bob's field")).to.equal(`OK "Bob's field"`);
      expect(formatReply('WARNING x\\')).to.equal('WARNING "x\\\\"');
    });

    it('prefixes any other string with OK', () => {
      expect(formatReply('hello world')).to.equal('OK hello world');
      expect(formatReply('OKAY')).to.equal('OK OKAY');
      expect(formatReply('ERRORS: 0')).to.equal('OK ERRORS: 0');
      expect(formatReply('ok lower')).to.equal('OK ok lower');
      expect(formatReply(' OK')).to.equal('OK  OK');
    });

    it('sends a string as azcam does, as it is (never as one quoted word), white space at its end stripped', () => {
      expect(formatReply('bias frame')).to.equal('OK bias frame');
      expect(formatReply('a   b  ')).to.equal('OK a   b');
      expect(formatReply('  ')).to.equal('OK');
      expect(formatReply('"quoted"')).to.equal('OK "quoted"');
    });

    it("double-quotes a string only where the console's shlex.split would raise on azcam's reply", () => {
      expect(formatReply("Bob's field")).to.equal(`OK "Bob's field"`);
      expect(formatReply('C:\\data\\')).to.equal('OK "C:\\\\data\\\\"');
      expect(formatReply('C:\\data')).to.equal('OK C:\\data');
      // White space azcam strips from the reply's end can leave a backslash last.
      expect(formatReply('end\\\u000b')).to.equal('OK "end\\\\"');
      expect(formatReply(['a', 'end\\\u000b'])).to.equal('OK a "end\\\\\u000b"');
    });

    it('spells numbers and booleans as Python does', () => {
      expect(formatReply(1.5)).to.equal('OK 1.5');
      expect(formatReply(0)).to.equal('OK 0');
      expect(formatReply(-110.123)).to.equal('OK -110.123');
      expect(formatReply(true)).to.equal('OK True');
      expect(formatReply(false)).to.equal('OK False');
    });

    it("space-joins an array as azcam's _command_reply does: str(x), a string with a space in single quotes", () => {
      expect(formatReply(['a', 'b', 'c'])).to.equal('OK a b c');
      expect(formatReply(['a b', 'c'])).to.equal("OK 'a b' c");
      expect(formatReply([1, 4096, -0.5, true, null])).to.equal('OK 1 4096 -0.5 True None');
      expect(formatReply(['value', 'a comment', 'str'])).to.equal("OK value 'a comment' str");
      expect(formatReply(['a "b" c', 'C:\\data'])).to.equal(`OK 'a "b" c' C:\\data`);
    });

    it('leaves an empty string element only its space, as azcam does (an empty first or last one vanishes)', () => {
      expect(formatReply(['2.5', '', 'float'])).to.equal('OK 2.5  float');
      expect(formatReply(['', 0, '', ''])).to.equal('OK 0');
      expect(formatReply(['', ''])).to.equal('OK');
    });

    it("double-quotes an element only where azcam's own would make the console's shlex.split raise", () => {
      expect(formatReply(['', "it's"])).to.equal(`OK "it's"`);
      expect(formatReply(["it's a b", 'x'])).to.equal(`OK "it's a b" x`);
      expect(formatReply(['x', 'ends\\'])).to.equal('OK x "ends\\\\"');
      // A backslash then a space does not raise (it joins the two words), so azcam's line is sent.
      expect(formatReply(['ends\\', 'x'])).to.equal('OK ends\\ x');
    });

    it('answers an empty array with a bare OK', () => {
      expect(formatReply([])).to.equal('OK');
    });

    it('ends an array reply with its last element that has text', () => {
      expect(formatReply([1, new Uint8Array(0)])).to.equal('OK 1');
      expect(formatReply(['a', 'b\nc'])).to.equal("OK a 'b c'");
    });

    it("writes a list or dict in an array as its Python repr, unquoted, as azcam's str(x) does", () => {
      expect(formatReply([{ a: 1 }, [1, 2]])).to.equal("OK {'a': 1} [1, 2]");
      expect(formatReply([1, 1, [0]])).to.equal('OK 1 1 [0]');
      expect(formatReply([['EXPTIME', new PythonLiteral('1.0'), "it's", 'float']])).to.equal(`OK ['EXPTIME', 1.0, "it's", 'float']`);
    });

    it("gives azcam's own reply for any list the console can split, and one it can split for the rest (python3 run once)", function () {
      const text = fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '\\', '[', '\t', 'é') });
      const element = fc.oneof(text, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 }));
      const lists = fc.sample(fc.array(element, { maxLength: 5 }), { seed: 7, numRuns: 1000 });
      // azcam's _command_reply (cmdserver.py) for a list, and whether its console could split the line.
      const azcamRule = [
        'import shlex',
        'def reply(items):',
        '    s = ""',
        '    for x in items:',
        '        s = s + " " + ("\'" + x + "\'" if type(x) == str and " " in x else str(x))',
        '    return ("OK " + s.strip()).strip()',
        'def splits(line):',
        '    try:',
        '        return shlex.split(line)',
        '    except ValueError:',
        '        return None',
        'results = [[reply(items), splits(reply(items)), splits(ours)] for items, ours in cases]',
      ].join('\n');
      const python = runPython(azcamRule, lists.map((list) => [list, formatReply(list)])) as [string, string[] | null, string[] | null][] | undefined;
      requireOrSkip(this, python, 'python3');
      python.forEach(([azcam, azcamWords, ourWords], i) => {
        const ours = formatReply(lists[i]);
        if (azcamWords) expect(ours, JSON.stringify(lists[i])).to.equal(azcam);
        else expect(ourWords, `${JSON.stringify(lists[i])} -> ${ours}`).to.not.equal(null);
      });
    });

    it('writes a plain object as JSON on one line, spaced as Python json.dumps spaces it', () => {
      const status = { exposurestate: 'READOUT', progressbar: 40, timeleft: 0, filename: 'a\nb.fits', message: '' };
      const reply = formatReply(status);
      expect(reply).to.equal('OK {"exposurestate": "READOUT", "progressbar": 40, "timeleft": 0, "filename": "a\\nb.fits", "message": ""}');
      expect(reply).not.to.match(/[\r\n]/);
      expect(JSON.parse(reply.slice(3))).to.deep.equal(status);
      expect(formatReply(Object.assign(Object.create(null) as object, { x: 1 }))).to.equal('OK {"x": 1}');
    });

    it("gives the text Python's json.dumps gives (python3 run once for all cases)", function () {
      const objects = [{}, { a: [] }, { a: 1, b: [1, 'x y', null], c: { d: true, e: false } }, { 'key "q"': 'v\\w', n: -3 }];
      const texts = objects.map((object) => formatReply(object).slice('OK '.length));
      const python = runPython('results = [json.dumps(json.loads(text)) for text in cases]', texts);
      requireOrSkip(this, python, 'python3');
      expect(texts).to.deep.equal(python);
    });

    it('spaces separators only outside strings, as json.dumps does (200 generated values, python3 run once)', function () {
      const text = fc.string({ unit: fc.constantFrom('a', ',', ':', '"', '\\', ' ', '\n', '{', '[') });
      const value = fc.letrec<{ value: unknown }>((tie) => ({
        value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value')), fc.dictionary(text, tie('value'))),
      })).value;
      const escapes = { 'x",y': 'z":w', 'back\\': ['\\",', ':\\'] };
      const values = [escapes, ...fc.sample(value, { seed: 6, numRuns: 200 }).map((generated) => ({ generated }))];
      const python = runPython('results = [json.dumps(json.loads(text)) for text in cases]', values.map((v) => JSON.stringify(v)));
      requireOrSkip(this, python, 'python3');
      expect(values.map((v) => formatReply(v).slice('OK '.length))).to.deep.equal(python);
    });

    it('refuses a circular structure, and leaves out what JSON leaves out', () => {
      const circular: Record<string, unknown> = {};
      circular['self'] = circular;
      expect(() => formatReply(circular)).to.throw(TypeError, /circular/);
      expect(formatReply({ a: undefined, f: () => 1, list: [undefined, () => 1] })).to.equal('OK {"list": [null, null]}');
    });

    it('folds newlines into spaces so a reply is always one line', () => {
      expect(formatReply('line one\nline two')).to.equal('OK line one line two');
      expect(formatReply('a\r\n\r\nb\r')).to.equal('OK a b');
      expect(formatReply('ERROR bad\nthing')).to.equal('ERROR bad thing');
      expect(formatReply(['x\ny'])).to.equal("OK 'x y'");
    });
  });

  describe('formatError', () => {
    it('writes ERROR and the message', () => {
      expect(formatError(new Error('no shutter'))).to.equal('ERROR no shutter');
      expect(formatError(new InvalidArgumentError('invalid exposure time: abc'))).to.equal('ERROR invalid exposure time: abc');
    });

    it('does not repeat an ERROR already in the message', () => {
      expect(formatError(new Error('ERROR already said'))).to.equal('ERROR already said');
    });

    it('writes a bare ERROR for an empty message', () => {
      expect(formatError(new Error(''))).to.equal('ERROR');
    });

    it('folds a multi-line message onto one line', () => {
      expect(formatError(new Error('first\nsecond\r\nthird'))).to.equal('ERROR first second third');
    });

    it("double-quotes a message shlex.split could not split, as azcam's console splits every reply", () => {
      expect(formatError(new Error("the detector's plane is fixed"))).to.equal('ERROR "the detector\'s plane is fixed"');
      expect(formatError(new Error('a "b" c'))).to.equal('ERROR a "b" c');
      expect(errorText(splitReply(formatError(new Error('"x"'))).text)).to.equal('"x"');
      expect(errorText(splitReply(formatError(new Error('"a\\"b"'))).text)).to.equal('"a\\"b"');
      expect(formatError(new Error('open "quote and \\ slash'))).to.equal('ERROR "open \\"quote and \\\\ slash"');
      fc.assert(
        fc.property(fc.string(), (message) => {
          const reply = formatError(new Error(message));
          expect(shlexSplit(reply)[0]).to.equal('ERROR');
          // The client reads back the message it was given, folded onto one line and trimmed.
          expect(errorText(splitReply(reply).text)).to.equal(message.replace(/[\r\n]+/g, ' ').replace(/^ERROR\s*/, '').trim());
        }),
        { seed: 14, numRuns: 2000 },
      );
    });

    it('gives replies that Python splits, the quoted message whole (python3 run once for all cases)', function () {
      const messages = ["detector's", 'unclosed "quote', "it's a \\ path", 'plain words', 'tab\there'];
      const python = runPython('import shlex\nresults = [shlex.split(text) for text in cases]', messages.map((message) => formatError(new Error(message))));
      requireOrSkip(this, python, 'python3');
      expect(python![0]).to.deep.equal(['ERROR', "detector's"]);
      expect(python![1]).to.deep.equal(['ERROR', 'unclosed "quote']);
      expect(python![2]).to.deep.equal(['ERROR', "it's a \\ path"]);
      expect(python![3]).to.deep.equal(['ERROR', 'plain', 'words']);
      expect(python![4]).to.deep.equal(['ERROR', 'tab', 'here']);
    });

    it('describes thrown values that are not Errors, and never throws itself', () => {
      expect(formatError('plain string')).to.equal('ERROR plain string');
      expect(formatError(42)).to.equal('ERROR 42');
      expect(formatError(undefined)).to.equal('ERROR undefined');
      expect(formatError({ message: 'like an error' })).to.equal('ERROR like an error');
      expect(formatError(Object.create(null))).to.match(/^ERROR \S/);
      expect(formatError(Symbol('s'))).to.equal('ERROR Symbol(s)');
      const hostile = {
        toString(): string {
          throw new Error('no');
        },
      };
      expect(formatError(hostile)).to.match(/^ERROR \S/);
      const weird = new Error('x');
      (weird as { message: unknown }).message = 12;
      expect(formatError(weird)).to.equal('ERROR 12');
    });
  });

  describe('pythonFloat', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [-0.5, '-0.5'],
      [0, '0.0'],
      [-0, '-0.0'],
      [25, '25.0'],
      [-110.123, '-110.123'],
      [1e-7, '1e-07'],
      [1.5e-5, '1.5e-05'],
      [0.0001, '0.0001'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.5e17, '1.5e+17'],
      [1e22, '1e+22'],
      [1e100, '1e+100'],
      [5e-324, '5e-324'],
      [0.1 + 0.2, '0.30000000000000004'],
      [Number.NaN, 'nan'],
      [Number.POSITIVE_INFINITY, 'inf'],
      [Number.NEGATIVE_INFINITY, '-inf'],
    ];
    for (const [value, text] of cases) {
      it(`spells ${String(value)} as ${text}`, () => {
        expect(pythonFloat(value)).to.equal(text);
      });
    }

    it("agrees with Python's repr(float) (python3 run once for all cases)", function () {
      const numbers = [...cases.map(([value]) => value), ...fc.sample(fc.double(), 2000)];
      const exact = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));
      const python = runPython('results = [repr(float(text)) for text in cases]', numbers.map(exact));
      requireOrSkip(this, python, 'python3');
      const mismatches = numbers.flatMap((value, i) => (pythonFloat(value) === python[i] ? [] : [[exact(value), pythonFloat(value), python[i]]]));
      expect(mismatches[0], '[value, ours, Python]').to.equal(undefined);
    });
  });

  describe('splitReply', () => {
    it('splits a reply into its status and text', () => {
      expect(splitReply('OK')).to.deep.equal({ status: 'OK', text: '' });
      expect(splitReply("OK 'a b' c")).to.deep.equal({ status: 'OK', text: "'a b' c" });
      expect(splitReply('ERROR exposure in progress')).to.deep.equal({ status: 'ERROR', text: 'exposure in progress' });
      expect(splitReply('WARNING  cold ')).to.deep.equal({ status: 'WARNING', text: 'cold' });
    });

    it('tells an OK reply from the rest', () => {
      expect(['OK', 'OK 1.5', "OK 'a b'"].map(isOkReply)).to.deep.equal([true, true, true]);
      expect(['OKAY', 'ERROR OK', 'WARNING cold', ''].map(isOkReply)).to.deep.equal([false, false, false, false]);
    });

    it('finds the status as its pattern does, OK found without it', () => {
      const line = fc.tuple(fc.constantFrom('OK', 'OKAY', 'ERROR', 'WARNING', 'ok', ''), fc.constantFrom('', ' ', '\t', '\u00a0', 'x'), fc.string()).map((parts) => parts.join(''));
      fc.assert(
        fc.property(line, (text) => {
          expect(replyStatus(text)).to.equal(/^(OK|ERROR|WARNING)(?=\s|$)/.exec(text)?.[1] ?? 'ERROR');
        }),
      );
    });

    it('reports a line without a status as a malformed reply', () => {
      expect(splitReply('OKAY')).to.deep.equal({ status: 'ERROR', text: 'malformed reply: OKAY' });
      expect(splitReply('')).to.deep.equal({ status: 'ERROR', text: 'malformed reply: ' });
    });

    it('inverts formatReply', () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          const { status, text: rest } = splitReply(formatReply(text));
          expect(status).to.equal(/^(ERROR|WARNING)(\s|$)/.test(text) ? /^\w+/.exec(text)![0] : 'OK');
          const folded = text.replace(/[\r\n]+/g, ' ');
          // As sent, or (what shlex.split could not split) one double-quoted word that gives it back.
          if (status === 'OK' && !/^OK(\s|$)/.test(text) && rest !== folded.trim()) expect(shlexSplit(rest)).to.deep.equal([folded.trimEnd()]);
        }),
      );
    });
  });
});
