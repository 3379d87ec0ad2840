/**
 * Splits a byte stream into command lines. Pure: bytes in, complete lines out.
 *
 * A line ends at `\n`; one trailing `\r` is removed. Bytes are kept until their line is complete,
 * so a command split across packets is joined and pipelined commands are separated. A line longer
 * than `maxLine` bytes yields a `tooLong` frame and the framer stops: the connection is closed.
 */
export type Frame = { kind: 'line'; line: string } | { kind: 'tooLong' };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed = false;

  constructor(private readonly maxLine: number) {}

  push(chunk: Buffer): Frame[] {
    if (this.failed) return [];
    const frames: Frame[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const frame = this.completeLine(chunk, start, end);
      frames.push(frame);
      if (frame.kind === 'tooLong') return frames;
      start = end + 1;
    }
    this.keep(chunk.subarray(start), frames);
    return frames;
  }

  /** Bytes of an unfinished line held so far (for memory accounting). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** The line ending at byte `end` of `chunk`: what is held, then bytes [start, end). */
  private completeLine(chunk: Buffer, start: number, end: number): Frame {
    if (this.pending.length === 0) return this.lineOf(chunk, start, end);
    const bytes = Buffer.concat([...this.pending, chunk.subarray(start, end)]);
    this.pending = [];
    this.pendingBytes = 0;
    return this.lineOf(bytes, 0, bytes.length);
  }

  /** Bytes [start, end) as a line, without one trailing `\r`. Decoded in place: no Buffer view per line. */
  private lineOf(bytes: Buffer, start: number, end: number): Frame {
    const last = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
    if (last - start > this.maxLine) return this.fail();
    return { kind: 'line', line: bytes.toString('utf8', start, last) };
  }

  private keep(rest: Buffer, frames: Frame[]): void {
    if (rest.length === 0) return;
    // Copy: the caller's chunk may be reused; and one `\r` beyond the limit may still be stripped.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
    if (this.pendingBytes > this.maxLine + 1) frames.push(this.fail());
  }

  private fail(): Frame {
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
    return { kind: 'tooLong' };
  }
}
