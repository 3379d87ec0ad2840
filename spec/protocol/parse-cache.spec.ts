import { expect } from 'chai';
import { ParseError } from '../../lib/errors.js';
import { parseCommand } from '../../lib/protocol/parse.js';
import { ParseCache } from '../../lib/protocol/parse-cache.js';

describe('ParseCache', () => {
  it('parses as parseCommand does', () => {
    const cache = new ParseCache();
    for (const line of ['exposure.expose 2.5 flat "dome flat"', 'get_temperatures', 'set_par imagefolder=/data', '# only a comment']) {
      expect(cache.parse(line)).to.deep.equal(parseCommand(line));
      expect(cache.parse(line), 'the second time').to.deep.equal(parseCommand(line));
    }
  });

  it('parses a line seen before only once, and hands out a command nothing can change', () => {
    const cache = new ParseCache();
    const first = cache.parse('tempcon.set_control_temperature -100 temperature_id=0')!;
    expect(cache.parse('tempcon.set_control_temperature -100 temperature_id=0')).to.equal(first);
    expect(() => (first.args as string[]).push('1')).to.throw(TypeError);
    expect(() => ((first.kwargs as Record<string, string>)['temperature_id'] = '1')).to.throw(TypeError);
    expect(() => ((first as { method: string }).method = 'exit')).to.throw(TypeError);
  });

  it('refuses a bad line every time', () => {
    const cache = new ParseCache();
    for (let i = 0; i < 2; i++) expect(() => cache.parse('a..b 1')).to.throw(ParseError);
  });

  it('keeps neither long lines nor more than its capacity', () => {
    const cache = new ParseCache();
    const long = `echo ${'x'.repeat(300)}`;
    expect(cache.parse(long)).to.not.equal(cache.parse(long));
    const oldest = cache.parse('echo 0');
    for (let i = 1; i <= 512; i++) cache.parse(`echo ${i}`);
    expect(cache.parse('echo 0'), 'the oldest line, pushed out').to.not.equal(oldest);
    expect(cache.parse('echo 512')).to.equal(cache.parse('echo 512'));
  });
});
