import { expect } from 'chai';
import fc from 'fast-check';
import { azcamDatatype, PYTHON_INT_MAX_DIGITS, savedText, savedTyped, typedText } from '../../lib/camera/datatype.js';
import { InvalidArgumentError } from '../../lib/errors.js';

describe("azcam's get_datatype", () => {
  it('types digits as int, what float() reads as float, the rest as str', () => {
    expect(azcamDatatype('42')).to.deep.equal({ type: 'int', value: 42n });
    expect(azcamDatatype('-5')).to.deep.equal({ type: 'float', value: -5 });
    expect(azcamDatatype(' 2.5 ')).to.deep.equal({ type: 'float', value: 2.5 });
    expect(azcamDatatype('1e3')).to.deep.equal({ type: 'float', value: 1000 });
    expect(azcamDatatype('0x10')).to.deep.equal({ type: 'str', value: '0x10' });
    expect(azcamDatatype('')).to.deep.equal({ type: 'str', value: '' });
    expect(azcamDatatype('Ann')).to.deep.equal({ type: 'str', value: 'Ann' });
  });

  it('keeps every digit of an int, as Python\'s int does, up to the digits its int() reads', () => {
    expect(azcamDatatype('12345678901234567890')).to.deep.equal({ type: 'int', value: 12345678901234567890n });
    expect(typedText(azcamDatatype('12345678901234567890'))).to.equal('12345678901234567890');
    expect(typedText(azcamDatatype('9'.repeat(PYTHON_INT_MAX_DIGITS)))).to.equal('9'.repeat(PYTHON_INT_MAX_DIGITS));
    expect(() => azcamDatatype('0'.repeat(PYTHON_INT_MAX_DIGITS + 1))).to.throw(InvalidArgumentError, 'integer too long: 4301 digits');
  });

  it('reads single underscores between digits as float() does', () => {
    expect(azcamDatatype('1_000')).to.deep.equal({ type: 'float', value: 1000 });
    expect(azcamDatatype('1_0.2_5')).to.deep.equal({ type: 'float', value: 10.25 });
    expect(azcamDatatype('1e1_0')).to.deep.equal({ type: 'float', value: 1e10 });
    expect(azcamDatatype(' -.5_0E+0_1 ')).to.deep.equal({ type: 'float', value: -5 });
    for (const text of ['_1', '1_', '1__0', '1_.5', '1._5', '1e_1', '1_e1', '_']) {
      expect(azcamDatatype(text), text).to.deep.equal({ type: 'str', value: text });
    }
  });

  it('keeps what would not be a finite float as a string (FITS has no infinity or NaN)', () => {
    for (const text of ['inf', '-Infinity', '+INF', 'nan', '-NaN', '1e999', `${'9'.repeat(400)}.0`]) {
      expect(azcamDatatype(text), text).to.deep.equal({ type: 'str', value: text });
    }
  });

  it('types a literal with single underscores between digits as the float without them', () => {
    const digitGroups = (maxDigits: number, maxGroups: number) =>
      fc.array(fc.stringMatching(new RegExp(`^\\d{1,${maxDigits}}$`)), { minLength: 1, maxLength: maxGroups });
    // An exponent of at most two digits keeps the float finite.
    const parts = fc.record({ whole: digitGroups(6, 4), fraction: fc.option(digitGroups(6, 4)), exponent: fc.option(digitGroups(1, 2)) });
    fc.assert(
      fc.property(parts, ({ whole, fraction, exponent }) => {
        const literal = (separator: string): string =>
          whole.join(separator) + (fraction ? `.${fraction.join(separator)}` : '') + (exponent ? `e${exponent.join(separator)}` : '');
        fc.pre(literal('_').includes('_'));
        expect(azcamDatatype(literal('_'))).to.deep.equal({ type: 'float', value: Number(literal('')) });
      }),
    );
  });

  it('writes a value as Python\'s str() does, and reads that text back to the same value', () => {
    for (const raw of ['2.0', '2.5', '1e20', '7', '007', '12345678901234567890', 'dome flat', 'inf']) {
      const typed = azcamDatatype(raw);
      expect(savedTyped(typedText(typed)), raw).to.deep.equal(typed);
    }
    expect(['2.0', '1e20', '1e-5'].map((raw) => typedText(azcamDatatype(raw)))).to.deep.equal(['2.0', '1e+20', '1e-05']);
  });

  it('reads a saved value back typed (as update_pars sets it) or as its text (as read_parfile keeps it); a number by its value', () => {
    expect(savedTyped('007')).to.deep.equal({ type: 'int', value: 7n });
    expect(savedText('007')).to.deep.equal({ type: 'str', value: '007' });
    expect(savedText('-5')).to.deep.equal({ type: 'str', value: '-5' });
    for (const read of [savedTyped, savedText]) {
      expect(read(3)).to.deep.equal({ type: 'int', value: 3n });
      expect(read(2.5)).to.deep.equal({ type: 'float', value: 2.5 });
    }
  });
});
