import { expect } from 'chai';
import fc from 'fast-check';
import { addBytes, addSums, encodeChecksum, foldSums, noHalfSums } from '../../lib/readout/checksum.js';

const sumOf = (bytes: number[]) => foldSums(addBytes(Uint8Array.from(bytes), noHalfSums()));

describe('readout/checksum', () => {
  it('adds big-endian 32-bit words', () => {
    expect(sumOf([0, 0, 0, 1, 0, 0, 0, 2])).to.equal(3);
    expect(sumOf([0x12, 0x34, 0x56, 0x78])).to.equal(0x12345678);
  });

  it('carries end-around, in both directions between the halves', () => {
    expect(sumOf([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1])).to.equal(1); // -0 + 1
    expect(sumOf([0x80, 0, 0, 0, 0x80, 0, 0, 0])).to.equal(1); // the high carry wraps to the low half
    expect(sumOf([0, 0, 0x80, 0, 0, 0, 0x80, 0])).to.equal(0x10000); // the low carry moves up
  });

  it('adds folded sums as the words they stand for', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 64 }).filter((b) => b.length % 8 === 0), (bytes) => {
        const half = bytes.length / 2;
        expect(addSums(sumOf([...bytes.subarray(0, half)]), sumOf([...bytes.subarray(half)]))).to.equal(sumOf([...bytes]));
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('adds aligned words and unaligned bytes alike', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4096 }).filter((b) => b.length % 4 === 0), (bytes) => {
        const aligned = new Uint8Array(bytes.length);
        aligned.set(bytes);
        const unaligned = new Uint8Array(bytes.length + 1).subarray(1);
        unaligned.set(bytes);
        expect(addBytes(aligned, noHalfSums())).to.deep.equal(addBytes(unaligned, noHalfSums()));
      }),
      { seed: 5, numRuns: 200 },
    );
    const full = new Uint8Array(4 * 1000).fill(0xff); // every lane at its largest, across blocks
    expect(addBytes(full, noHalfSums())).to.deep.equal({ high: 1000 * 0xffff, low: 1000 * 0xffff });
  });

  it('refuses bytes that are not whole words', () => {
    expect(() => addBytes(new Uint8Array(3), noHalfSums())).to.throw(RangeError);
  });

  // In a header the value starts in column 11: 3 bytes into a 32-bit word, which the encoding allows for.
  const asInHeader = (text: string) => [0, 0, 0, ...Buffer.from(text, 'latin1'), 0];

  it('encodes letters and digits that complement the sum where a header holds them: text + sum adds up to -0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (sum) => {
        const text = encodeChecksum(sum);
        expect(text).to.match(/^[0-9A-Za-z]{16}$/);
        const zeros = sumOf(asInHeader('0'.repeat(16)));
        const encoded = sumOf(asInHeader(text));
        // Replacing the zeros by the text turns sum into -0.
        expect(addSums(addSums(sum, encoded), 0xffffffff - zeros)).to.equal(0xffffffff);
      }),
      { seed: 4, numRuns: 300 },
    );
  });
});
