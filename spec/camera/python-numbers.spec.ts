import { expect } from 'chai';
import fc from 'fast-check';
import { finitePythonFloatOf, pythonIntOf } from '../../lib/camera/python-numbers.js';
import { pythonFloat } from '../../lib/protocol/reply.js';
import { runPython } from '../protocol/python.js';
import { requireOrSkip } from '../support/requirements.js';

/** Texts at the edges of what Python's int() and float() read. */
const EDGES = [
  '5', ' 5 ', '\t5\n', '+5', '-5', '-0', '007', '00', '1_000', '0_0', '12345678901234567890',
  '1__000', '_1', '1_', '+_1', '5.0', '5.', '.5', '5e3', '5.e3', '1_000.5', '1_000e1_0', '1.5_0', '1._5',
  '0x10', '0b1', '0o7', '', ' ', '+', '-', '- 5', '5 5', 'e5', '1e', 'inf', '-iNF', 'Infinity', 'nan', '1e999',
];

/** Python's results over `cases`, as text (`str(int(text))`, `repr(float(text))`), null where it raises or is not finite. */
function pythonReads(cases: string[]): { ints: (string | null)[]; floats: (string | null)[] } | undefined {
  const script = [
    'import math',
    'def read(convert, text):',
    '    try:',
    '        return convert(text)',
    '    except ValueError:',
    '        return None',
    'def finite(value):',
    '    return repr(value) if value is not None and math.isfinite(value) else None',
    'results = [[None if (i := read(int, t)) is None else str(i), finite(read(float, t))] for t in cases]',
  ].join('\n');
  const results = runPython(script, cases) as [string | null, string | null][] | undefined;
  return results && { ints: results.map(([int]) => int), floats: results.map(([, float]) => float) };
}

function oursOver(cases: string[]): { ints: (string | null)[]; floats: (string | null)[] } {
  return {
    ints: cases.map((text) => pythonIntOf(text)?.toString() ?? null),
    floats: cases.map((text) => {
      const value = finitePythonFloatOf(text);
      return value === undefined ? null : pythonFloat(value);
    }),
  };
}

describe("Python's int() and float() of a text", () => {
  it('reads an int as int() does: sign, digits, single underscores; no point, exponent or hex', () => {
    expect(pythonIntOf('5')).to.equal(5n);
    expect(pythonIntOf(' 5 ')).to.equal(5n);
    expect(pythonIntOf('+5')).to.equal(5n);
    expect(pythonIntOf('-5')).to.equal(-5n);
    expect(pythonIntOf('1_000')).to.equal(1000n);
    expect(pythonIntOf('12345678901234567890')).to.equal(12345678901234567890n);
    for (const text of ['5.0', '5.', '5e3', '0x10', '', ' ', '+', '1__0', '_1', '1_', 'inf']) {
      expect(pythonIntOf(text), JSON.stringify(text)).to.equal(undefined);
    }
  });

  it('reads a finite float as float() does, underscores included; not inf, nan or an overflow', () => {
    expect(finitePythonFloatOf('5')).to.equal(5);
    expect(finitePythonFloatOf(' 5.0 ')).to.equal(5);
    expect(finitePythonFloatOf('5e3')).to.equal(5000);
    expect(finitePythonFloatOf('1_000.5')).to.equal(1000.5);
    expect(finitePythonFloatOf('.5')).to.equal(0.5);
    for (const text of ['0x10', '', '1._5', '1__0', 'inf', 'nan', '1e999']) {
      expect(finitePythonFloatOf(text), JSON.stringify(text)).to.equal(undefined);
    }
  });

  it("refuses other scripts' digits, which Python reads (every number the server reads is ASCII)", () => {
    expect(pythonIntOf('\u0665')).to.equal(undefined);
    expect(finitePythonFloatOf('\uff15')).to.equal(undefined);
  });

  it('agrees with Python on the edge cases and on random texts of number characters (python3 run once for all)', function () {
    const texts = fc.sample(fc.string({ unit: fc.constantFrom('0', '1', '9', '_', '+', '-', '.', 'e', 'E', 'x', ' '), maxLength: 8 }), 3000);
    const cases = [...EDGES, ...texts];
    const python = pythonReads(cases);
    requireOrSkip(this, python, 'python3');
    const ours = oursOver(cases);
    const differences = cases.flatMap((text, i) =>
      ours.ints[i] === python.ints[i] && ours.floats[i] === python.floats[i] ? [] : [{ text, ours: [ours.ints[i], ours.floats[i]], python: [python.ints[i], python.floats[i]] }],
    );
    expect(differences).to.deep.equal([]);
  });
});
