import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
import { Arguments, toBoolean, toInteger, toNumber } from '../../lib/dispatch/arguments.js';

describe('Arguments', () => {
  const args = new Arguments(['2.5', 'flat', 'M 31'], { title: 'keyword title', count: '3' });

  it('finds an argument by position, else by keyword', () => {
    expect(args.string(1, 'image_type')).to.equal('flat');
    expect(args.string(5, 'title')).to.equal('keyword title');
    expect(args.optionalString(5, 'nothing')).to.equal(undefined);
  });

  it('prefers the positional argument over the keyword', () => {
    expect(new Arguments(['1'], { exposure_time: '2' }).number(0, 'exposure_time')).to.equal(1);
  });

  it('names a missing argument in words', () => {
    expect(() => args.string(5, 'exposure_time')).to.throw(InvalidArgumentError, 'missing exposure time');
  });

  it('converts and validates numbers', () => {
    expect(args.number(0, 'exposure_time')).to.equal(2.5);
    expect(args.optionalNumber(7, 'count')).to.equal(3);
    expect(args.optionalNumber(7, 'nothing')).to.equal(undefined);
    expect(() => args.number(1, 'exposure_time')).to.throw(InvalidArgumentError, 'invalid exposure time: flat');
  });

  it('converts and validates integers', () => {
    expect(args.integer(7, 'count')).to.equal(3);
    expect(args.optionalInteger(7, 'nothing')).to.equal(undefined);
    expect(() => args.integer(0, 'col_bin')).to.throw(InvalidArgumentError, 'invalid col bin: 2.5');
  });

  it('converts booleans the way lab scripts write them', () => {
    const flags = new Arguments(['1', 'TRUE', 'yes', 'on', '0', 'False', 'no', 'off', 'maybe']);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => flags.boolean(i, 'flag'))).to.deep.equal([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(() => flags.boolean(8, 'open_shutter')).to.throw(InvalidArgumentError, 'invalid open shutter: maybe');
  });

  it('refuses more positional arguments than allowed', () => {
    const positional = new Arguments(['2.5', 'flat', 'M 31']);
    expect(positional.atMost(3)).to.equal(positional);
    expect(() => positional.atMost(2)).to.throw(InvalidArgumentError, 'too many arguments: expected at most 2, got 3');
  });

  it('refuses keyword arguments the command does not take', () => {
    expect(args.atMost(3, ['title', 'count'])).to.equal(args);
    expect(() => args.atMost(3, ['title'])).to.throw(InvalidArgumentError, 'unknown keyword argument: count');
    expect(() => args.atMost(3)).to.throw(InvalidArgumentError, 'unknown keyword argument: title, count');
  });

  it('joins the rest of the positional arguments', () => {
    expect(args.rest(1)).to.equal('flat M 31');
    expect(args.rest(3)).to.equal('');
  });

  it('does not find keywords through the prototype chain', () => {
    const bare = new Arguments([]);
    expect(bare.optionalString(0, 'constructor')).to.equal(undefined);
    expect(bare.optionalString(0, 'toString')).to.equal(undefined);
  });

  describe('conversions', () => {
    it('toNumber refuses blanks, words and non-finite values', () => {
      expect(toNumber('-1e3', 'x')).to.equal(-1000);
      expect(toNumber(' 7 ', 'x')).to.equal(7);
      for (const raw of ['', '  ', 'abc', 'NaN', 'Infinity', '-Infinity', '1.2.3', '1e999']) {
        expect(() => toNumber(raw, 'exposure_time'), raw).to.throw(InvalidArgumentError, `invalid exposure time: ${raw}`);
      }
    });

    it('toNumber reads decimal only, as Python float() does: no hex, octal or binary', () => {
      expect([toNumber('+.5', 'x'), toNumber('2.', 'x'), toNumber('010', 'x'), toNumber('1E2', 'x')]).to.deep.equal([0.5, 2, 10, 100]);
      for (const raw of ['0x10', '0o17', '0b11', '1_000', '1e', '.', '+']) {
        expect(() => toNumber(raw, 'exposure_time'), raw).to.throw(InvalidArgumentError, `invalid exposure time: ${raw}`);
      }
      expect(() => toInteger('0x10', 'row_bin')).to.throw(InvalidArgumentError, 'invalid row bin: 0x10');
    });

    it('toInteger refuses fractions and unsafe integers', () => {
      expect(toInteger('4096', 'x')).to.equal(4096);
      expect(toInteger('-3', 'x')).to.equal(-3);
      for (const raw of ['1.5', '9007199254740993', 'x']) {
        expect(() => toInteger(raw, 'row_bin'), raw).to.throw(InvalidArgumentError, `invalid row bin: ${raw}`);
      }
    });

    it('toBoolean ignores case and surrounding space', () => {
      expect(toBoolean(' Y ', 'x')).to.equal(true);
      expect(toBoolean('f', 'x')).to.equal(false);
      expect(() => toBoolean('', 'x')).to.throw(InvalidArgumentError);
    });
  });
});
