import { expect } from 'chai';
import { parseHeaderTemplate } from '../../lib/camera/header-template.js';

describe('header template (read_header_file)', () => {
  it('reads KEYWORD value / comment a line, typed as azcam types it', () => {
    const text = ['OBSERVER Jane Doe / who observed', 'EQUINOX 2000 / equinox', '  AIRMASS -1.5  ', 'RUNID 0042', 'PROJECT a/b / c'].join('\n');
    expect(parseHeaderTemplate(text, 'h.txt')).to.deep.equal([
      { name: 'OBSERVER', raw: 'Jane Doe', comment: 'who observed', type: 'str', origin: 'h.txt line 1' },
      { name: 'EQUINOX', raw: '2000', comment: 'equinox', type: 'int', origin: 'h.txt line 2' },
      { name: 'AIRMASS', raw: '-1.5', comment: '', type: 'float', origin: 'h.txt line 3' },
      { name: 'RUNID', raw: '0042', comment: '', type: 'int', origin: 'h.txt line 4' },
      { name: 'PROJECT', raw: 'a', comment: 'b / c', type: 'str', origin: 'h.txt line 5' },
    ]);
  });

  it('types a float with underscores as get_datatype does, and keeps inf and nan as text', () => {
    expect(parseHeaderTemplate('GAIN 1_000.5 / e-/ADU\nSATURATE inf\nBIAS nan', 'h.txt')).to.deep.equal([
      { name: 'GAIN', raw: '1_000.5', comment: 'e-/ADU', type: 'float', origin: 'h.txt line 1' },
      { name: 'SATURATE', raw: 'inf', comment: '', type: 'str', origin: 'h.txt line 2' },
      { name: 'BIAS', raw: 'nan', comment: '', type: 'str', origin: 'h.txt line 3' },
    ]);
  });

  it('skips blank lines, # lines and commentary keywords, counting every line', () => {
    const text = '# a template\r\n\r\nCOMMENT\r\nCOMMENT text\r\nHISTORY made\r\nTELESCOP\tbok / name\r\n';
    expect(parseHeaderTemplate(text, 'h.txt')).to.deep.equal([{ name: 'TELESCOP', raw: 'bok', comment: 'name', type: 'str', origin: 'h.txt line 6' }]);
  });

  it('takes a value left empty before the comment as an empty string', () => {
    expect(parseHeaderTemplate('NOTE  / nothing yet', 'h.txt')).to.deep.equal([{ name: 'NOTE', raw: '', comment: 'nothing yet', type: 'str', origin: 'h.txt line 1' }]);
  });

  it('refuses a keyword with no value, naming its line', () => {
    expect(() => parseHeaderTemplate('OBSERVER Ann\n\nTELESCOP', 'h.txt')).to.throw('h.txt line 3: no value for TELESCOP (write KEYWORD value / comment)');
  });
});
