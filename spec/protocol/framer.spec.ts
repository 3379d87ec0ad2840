import { expect } from 'chai';
import fc from 'fast-check';
import { LineFramer, type Frame } from '../../lib/protocol/framer.js';

const line = (text: string): Frame => ({ kind: 'line', line: text });
const tooLong: Frame = { kind: 'tooLong' };

function pushAll(framer: LineFramer, chunks: (string | Buffer)[]): Frame[] {
  return chunks.flatMap((chunk) => framer.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
}

/** The framer's rule, the plain way: split at each newline, one `\r` stripped, each line decoded alone. */
function linesDecodedAlone(bytes: Buffer, maxLine: number): Frame[] {
  const frames: Frame[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
    const last = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
    if (last - start > maxLine) return [...frames, tooLong];
    frames.push(line(bytes.toString('utf8', start, last)));
    start = end + 1;
  }
  return bytes.length - start > maxLine + 1 ? [...frames, tooLong] : frames;
}

describe('LineFramer', () => {
  it('joins a command that arrives byte by byte', () => {
    const framer = new LineFramer(100);
    const frames = pushAll(framer, [...'echo hello\n'].map((ch) => ch));
    expect(frames).to.deep.equal([line('echo hello')]);
    expect(framer.bufferedBytes).to.equal(0);
  });

  it('separates pipelined commands that arrive in one chunk', () => {
    const frames = pushAll(new LineFramer(100), ['a 1\nb 2\nc 3\n']);
    expect(frames).to.deep.equal([line('a 1'), line('b 2'), line('c 3')]);
  });

  it('keeps an unfinished line until its newline arrives', () => {
    const framer = new LineFramer(100);
    expect(framer.push(Buffer.from('one\ntw'))).to.deep.equal([line('one')]);
    expect(framer.bufferedBytes).to.equal(2);
    expect(framer.push(Buffer.from('o\n'))).to.deep.equal([line('two')]);
  });

  it('accepts \\r\\n and bare \\n, even mixed, and a \\r\\n split between chunks', () => {
    const frames = pushAll(new LineFramer(100), ['a\r\nb\nc\r', '\nd\n']);
    expect(frames).to.deep.equal([line('a'), line('b'), line('c'), line('d')]);
  });

  it('strips only one trailing \\r, and keeps a \\r inside the line', () => {
    const frames = pushAll(new LineFramer(100), ['a\r\r\n', 'b\rc\n', '\r\n']);
    expect(frames).to.deep.equal([line('a\r'), line('b\rc'), line('')]);
  });

  it('yields empty lines as such', () => {
    expect(pushAll(new LineFramer(10), ['\n\n'])).to.deep.equal([line(''), line('')]);
  });

  it('does not keep a reference to the caller\'s buffer', () => {
    const framer = new LineFramer(100);
    const chunk = Buffer.from('abc');
    framer.push(chunk);
    chunk.fill(0x7a);
    expect(framer.push(Buffer.from('\n'))).to.deep.equal([line('abc')]);
  });

  describe('maximum line length', () => {
    it('passes a line of exactly the limit, with or without \\r', () => {
      const framer = new LineFramer(5);
      expect(pushAll(framer, ['12345\n', '12345\r\n', '123', '45\r', '\n'])).to.deep.equal([
        line('12345'),
        line('12345'),
        line('12345'),
      ]);
    });

    it('fails a line one byte over the limit, and yields nothing after', () => {
      const framer = new LineFramer(5);
      expect(framer.push(Buffer.from('ok\n123456\nnext\n'))).to.deep.equal([line('ok'), tooLong]);
      expect(framer.push(Buffer.from('more\n'))).to.deep.equal([]);
    });

    it('fails as soon as an unfinished line is over the limit, before its newline', () => {
      const framer = new LineFramer(5);
      expect(framer.push(Buffer.from('12345'))).to.deep.equal([]);
      expect(framer.push(Buffer.from('\r'))).to.deep.equal([]);
      expect(framer.push(Buffer.from('x'))).to.deep.equal([tooLong]);
      expect(framer.bufferedBytes).to.equal(0);
      expect(framer.push(Buffer.from('\n'))).to.deep.equal([]);
    });

    it('fails a line over the limit that ends in \\r\\n split across chunks', () => {
      const framer = new LineFramer(5);
      expect(pushAll(framer, ['123456\r', '\n'])).to.deep.equal([tooLong]);
    });

    it('counts bytes, not characters', () => {
      // "é" is two bytes in UTF-8: three of them are 6 bytes.
      expect(pushAll(new LineFramer(6), ['ééé\n'])).to.deep.equal([line('ééé')]);
      expect(pushAll(new LineFramer(5), ['ééé\n'])).to.deep.equal([tooLong]);
    });
  });

  it('decodes a multi-byte UTF-8 character split across chunks', () => {
    const bytes = Buffer.from('tempcon 温度 🌡\n');
    const frames: Frame[] = [];
    const framer = new LineFramer(100);
    for (let i = 0; i < bytes.length; i++) frames.push(...framer.push(bytes.subarray(i, i + 1)));
    expect(frames).to.deep.equal([line('tempcon 温度 🌡')]);
  });

  it('gives each line as its own bytes decode, whatever bytes come in whatever chunks (invalid UTF-8 too)', () => {
    // ASCII, line ends, lead and continuation bytes of every length, overlong and surrogate
    // encodings, bytes UTF-8 never uses, and a byte order mark.
    const byte = fc.constantFrom(0x61, 0x20, 0x0a, 0x0d, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x80, 0xc0, 0xed, 0xa0, 0xf5, 0xff, 0xef, 0xbb, 0xbf);
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), (values, cuts, maxLine) => {
        const bytes = Buffer.from(values);
        const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...positions].map((start, i) => bytes.subarray(start, positions[i] ?? bytes.length));
        expect(pushAll(new LineFramer(maxLine), chunks)).to.deep.equal(linesDecodedAlone(bytes, maxLine));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it('gives the same lines however the same byte stream is chunked', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '🌡', '\r', '\n', '\r\n', 'x') });
    fc.assert(
      fc.property(
        text.map((s) => Buffer.from(s)),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        (bytes, cuts, maxLine) => {
          const whole = new LineFramer(maxLine).push(bytes);
          const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...positions].map((start, i) => bytes.subarray(start, positions[i] ?? bytes.length));
          expect(pushAll(new LineFramer(maxLine), chunks)).to.deep.equal(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});
