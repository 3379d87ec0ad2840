import { expect } from 'chai';
import { InvalidArgumentError } from '../../lib/errors.js';
import { bindArguments, toBoolean, toInteger, toNumber } from '../../lib/dispatch/arguments.js';
import { arg, command } from '../../lib/dispatch/command.js';

describe('bindArguments', () => {
  const expose = command('expose', '', [arg.float('exposure_time', -1), arg.str('imagetype', ''), arg.str('title', '')], () => undefined);
  const setRoi = command('set_roi', '', [arg.int('first_col', -1), arg.int('last_col', -1), arg.int('roi_num', 0)], () => undefined);
  const setPar = command('set_par', '', [arg.str('parameter'), arg.str('value', 'None'), arg.str('subdict', null)], () => undefined);
  const shutter = command('set_shutter', '', [arg.flag('open')], () => undefined);
  const echo = command('echo', '', [arg.str('first', ''), arg.words('rest'), arg.keywords('others')], () => undefined);

  it('binds positional words in order and fills the defaults', () => {
    expect(bindArguments(expose, ['2.5', 'flat'])).to.deep.equal({ exposure_time: 2.5, imagetype: 'flat', title: '' });
    expect(bindArguments(expose, [])).to.deep.equal({ exposure_time: -1, imagetype: '', title: '' });
  });

  it('binds key=value by the argument\'s azcam name', () => {
    expect(bindArguments(expose, ['1'], { title: 'M 31' })).to.deep.equal({ exposure_time: 1, imagetype: '', title: 'M 31' });
    expect(bindArguments(setRoi, [], { roi_num: '0', last_col: '20' })).to.deep.equal({ first_col: -1, last_col: 20, roi_num: 0 });
  });

  it('converts as azcam\'s methods do: "0" is 0, None or none is the default', () => {
    expect(bindArguments(setRoi, ['0', '-1', '0'])).to.deep.equal({ first_col: 0, last_col: -1, roi_num: 0 });
    expect(bindArguments(setPar, ['imageroot', 'None'])).to.deep.equal({ parameter: 'imageroot', value: 'None', subdict: null });
    expect(bindArguments(setPar, ['imageroot', 'x', 'none'])).to.deep.equal({ parameter: 'imageroot', value: 'x', subdict: null });
    expect(bindArguments(setRoi, ['None', '5'])).to.deep.equal({ first_col: -1, last_col: 5, roi_num: 0 });
    expect(bindArguments(shutter, ['TRUE'])).to.deep.equal({ open: true });
  });

  it('keeps None as a word for a required argument', () => {
    expect(bindArguments(setPar, ['None'])).to.deep.equal({ parameter: 'None', value: 'None', subdict: null });
  });

  it('refuses what Python would refuse', () => {
    expect(() => bindArguments(setRoi, ['1', '2', '0', '9'])).to.throw(InvalidArgumentError, 'too many arguments: expected at most 3, got 4');
    expect(() => bindArguments(expose, [], { time: '1' })).to.throw(InvalidArgumentError, 'unknown keyword argument: time');
    expect(() => bindArguments(expose, ['1'], { exposure_time: '2' })).to.throw(InvalidArgumentError, 'multiple values for argument: exposure_time');
    expect(() => bindArguments(setPar, [])).to.throw(InvalidArgumentError, 'missing parameter');
  });

  it('refuses a value that does not convert, naming the argument', () => {
    expect(() => bindArguments(expose, ['abc'])).to.throw(InvalidArgumentError, 'invalid exposure time: abc');
    expect(() => bindArguments(setRoi, ['2.5'])).to.throw(InvalidArgumentError, 'invalid first col: 2.5');
    expect(() => bindArguments(shutter, ['maybe'])).to.throw(InvalidArgumentError, 'invalid open: maybe');
  });

  it('collects extra words and keywords where the command takes them', () => {
    expect(bindArguments(echo, ['a', 'b', 'c'], { x: '1' })).to.deep.equal({ first: 'a', rest: ['b', 'c'], others: { x: '1' } });
  });

  it('does not take keywords from the prototype chain', () => {
    expect(() => bindArguments(expose, [], { constructor: 'x' })).to.throw(InvalidArgumentError, 'unknown keyword argument: constructor');
    const bound = bindArguments(echo, [], Object.fromEntries([['__proto__', 'x']]) as Record<string, string>);
    expect(Object.getPrototypeOf(bound['others'])).to.equal(null);
    expect(Object.keys(bound['others'] as object)).to.deep.equal(['__proto__']);
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
