import { expect } from 'chai';
import { ParseError } from '../../lib/errors.js';
import { parseCommand } from '../../lib/protocol/parse.js';

describe('parseCommand', () => {
  it('splits tool.method and positional arguments', () => {
    expect(parseCommand('exposure.expose 2.5 flat')).to.deep.equal({
      tool: 'exposure',
      method: 'expose',
      args: ['2.5', 'flat'],
      kwargs: {},
      line: 'exposure.expose 2.5 flat',
    });
  });

  it('leaves the tool undefined for a bare method', () => {
    expect(parseCommand('get_temperatures')).to.deep.include({ tool: undefined, method: 'get_temperatures', args: [] });
  });

  it('takes everything before the last dot as the tool', () => {
    expect(parseCommand('cam2.exposure.expose 1')).to.deep.include({ tool: 'cam2.exposure', method: 'expose', args: ['1'] });
  });

  it('keeps names case-sensitive', () => {
    expect(parseCommand('Exposure.Expose')).to.deep.include({ tool: 'Exposure', method: 'Expose' });
  });

  for (const name of ['.x', 'x.', 'a..b', '.', 'a.b.']) {
    it(`refuses the invalid command name ${JSON.stringify(name)}`, () => {
      expect(() => parseCommand(`${name} 1`)).to.throw(ParseError, `invalid command name: ${name}`);
    });
  }

  it('returns undefined for a blank line or a comment', () => {
    expect(parseCommand('')).to.equal(undefined);
    expect(parseCommand('   \t')).to.equal(undefined);
    expect(parseCommand('# just a note')).to.equal(undefined);
  });

  it('ignores a comment after the command', () => {
    expect(parseCommand('exposure.expose 1 # one second')).to.deep.include({ args: ['1'] });
  });

  it('removes quotes around arguments', () => {
    expect(parseCommand(`exposure.expose 1 object "M 31 field" 'a b'`)).to.deep.include({
      args: ['1', 'object', 'M 31 field', 'a b'],
    });
  });

  it('keeps backslashes literal (Windows paths)', () => {
    expect(parseCommand('exposure.set_filename C:\\data\\n1.fits "D:\\x y\\"')).to.deep.include({
      args: ['C:\\data\\n1.fits', 'D:\\x y\\'],
    });
  });

  describe('keyword arguments', () => {
    it('takes key=value as a keyword argument, in any position', () => {
      expect(parseCommand('tool.m a exposure_time=2.5 b _x=1')).to.deep.include({
        args: ['a', 'b'],
        kwargs: { exposure_time: '2.5', _x: '1' },
      });
    });

    it('allows a quoted value: title="a b"', () => {
      expect(parseCommand('tool.m title="a b" note=\'x=y\'')).to.deep.include({
        args: [],
        kwargs: { title: 'a b', note: 'x=y' },
      });
    });

    it('takes a quoted "key=value" as one positional argument', () => {
      expect(parseCommand(`tool.m "key=value" 'k=v w'`)).to.deep.include({ args: ['key=value', 'k=v w'], kwargs: {} });
    });

    it('takes a key that is not an identifier as positional', () => {
      expect(parseCommand('tool.m 1x=2 a-b=c =c ke"y"=v')).to.deep.include({
        args: ['1x=2', 'a-b=c', '=c', 'key=v'],
        kwargs: {},
      });
    });

    it('allows an empty value and keeps later equals signs in the value', () => {
      expect(parseCommand('tool.m a= b=c=d')).to.deep.include({ kwargs: { a: '', b: 'c=d' } });
    });

    it('stores keys such as __proto__ as plain data', () => {
      const command = parseCommand('tool.m __proto__=x constructor=y')!;
      expect(Object.keys(command.kwargs)).to.deep.equal(['__proto__', 'constructor']);
      expect(command.kwargs['__proto__']).to.equal('x');
    });
  });

  it('throws a ParseError on an unbalanced quote', () => {
    expect(() => parseCommand('exposure.expose 1 "unclosed')).to.throw(ParseError, 'no closing quotation');
    expect(() => parseCommand("echo it's")).to.throw(ParseError);
  });
});
