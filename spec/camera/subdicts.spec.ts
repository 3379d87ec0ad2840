import { expect } from 'chai';
import { azcamDatatype } from '../../lib/camera/datatype.js';
import { MAX_SUBDICT_NAMES, MAX_SUBDICT_TEXT, Subdicts } from '../../lib/camera/subdicts.js';
import { LogCapture } from '../support/log-capture.js';

describe('subdicts: the names clients keep, within limits', () => {
  const text = (value: string) => azcamDatatype(value);
  const tooLong = `parameters too long: at most ${MAX_SUBDICT_TEXT} bytes of subdict names, names and values may be kept`;

  it('refuses a new name past the limit, in any subdict, and still changes one kept', () => {
    const subdicts = new Subdicts();
    for (let n = 0; n < MAX_SUBDICT_NAMES; n++) subdicts.set(`sub${n % 3}`, `key${n}`, text('1'));
    expect(() => subdicts.set('other', 'key', text('1'))).to.throw(`too many parameters: at most ${MAX_SUBDICT_NAMES} names may be kept in subdicts`);
    subdicts.set('sub1', 'key1', text('2'));
    expect(subdicts.get('sub1', 'key1')).to.deep.equal({ type: 'int', value: 2n });
    expect(subdicts.get('other', 'key')).to.equal(undefined);
  });

  it('refuses a value that makes the text kept too long, but not one that shortens it', () => {
    const subdicts = new Subdicts();
    const long = 'x'.repeat(60000);
    const entry = (n: number): number => Buffer.byteLength(JSON.stringify(['notes', `key${n}`, long]));
    let [n, kept] = [0, 0];
    while (kept + entry(n) <= MAX_SUBDICT_TEXT) subdicts.set('notes', `key${n}`, text(long)), (kept += entry(n++));
    expect(() => subdicts.set('notes', `key${n}`, text(long))).to.throw(tooLong);
    expect(() => subdicts.set('notes', 'key0', text(`${long}${'y'.repeat(MAX_SUBDICT_TEXT)}`))).to.throw(tooLong);
    subdicts.set('notes', 'key0', text('short'));
    subdicts.set('notes', `key${n}`, text(long));
    expect(subdicts.saved().notes).to.include({ key0: 'short' });
  });

  it("counts a subdict's name, and the text as the file holds it (escaped, UTF-8)", () => {
    const subdicts = new Subdicts();
    const longName = 'd'.repeat(60000);
    let n = 0;
    expect(() => {
      for (; n < 100; n++) subdicts.set(`${longName}${n}`, 'k', text('1'));
    }).to.throw(tooLong);
    expect(n).to.equal(17);
    const escaped = new Subdicts();
    expect(() => escaped.set('notes', 'k', text('\u0001'.repeat(200000)))).to.throw(tooLong); // 6 bytes each in the file
  });

  it('restores a parameter file beyond the limits whole, warns, and refuses only what adds to it', async () => {
    const logged = new LogCapture();
    try {
      const subdicts = new Subdicts();
      const values = new Map(Array.from({ length: MAX_SUBDICT_NAMES + 1 }, (_, n) => [`key${n}`, text(`${n}`)]));
      subdicts.restore(new Map([['get_temps', values]]));
      expect(await logged.waitFor('the parameter file holds more than a client may set: all kept, new names refused')).to.include({ names: MAX_SUBDICT_NAMES + 1 });
      expect(Object.keys(subdicts.saved().get_temps!)).to.have.length(MAX_SUBDICT_NAMES + 1);
      expect(() => subdicts.set('get_temps', 'new', text('1'))).to.throw(/^too many parameters/);
      subdicts.set('get_temps', 'key0', text('9'));
      expect(subdicts.saved().get_temps).to.include({ key0: '9' });
    } finally {
      logged.stop();
    }
  });
});
