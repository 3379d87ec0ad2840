import { expect } from 'chai';
import { azcamDatatype } from '../../lib/camera/datatype.js';

describe("azcam's get_datatype", () => {
  it('types digits as int, what float() reads as float, the rest as str', () => {
    expect(azcamDatatype('42')).to.deep.equal({ type: 'int', value: 42 });
    expect(azcamDatatype('-5')).to.deep.equal({ type: 'float', value: -5 });
    expect(azcamDatatype(' 2.5 ')).to.deep.equal({ type: 'float', value: 2.5 });
    expect(azcamDatatype('1e3')).to.deep.equal({ type: 'float', value: 1000 });
    expect(azcamDatatype('0x10')).to.deep.equal({ type: 'str', value: '0x10' });
    expect(azcamDatatype('')).to.deep.equal({ type: 'str', value: '' });
    expect(azcamDatatype('Ann')).to.deep.equal({ type: 'str', value: 'Ann' });
  });
});
