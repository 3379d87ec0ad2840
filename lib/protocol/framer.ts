/**
 * Splits a byte stream into command lines. Pure: bytes in, complete lines out.
 *
 * A line ends at `\n`; one trailing `\r` is removed. Bytes are kept until their line is complete,
 * so a command split across packets is joined and pipelined commands are separated. A line longer
 * than `maxLine` bytes yields a `tooLong` frame and the framer stops: the connection is closed.
 */
import { isAscii } from 'node:buffer';

export type Frame = { kind: 'line'; line: string } | { kind: 'tooLong' };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** The first room for the bytes of an unfinished line; it doubles as they grow, up to the limit. */
const FIRST_HOLD = 256;

export class LineFramer {
  /**
   * The bytes of an unfinished line, in one buffer that doubles as they grow: a buffer per chunk
   * cost a client trickling a byte a packet a hundred times the bytes held.
   */
  private held = Buffer.alloc(0);
  private heldBytes = 0;
  private failed = false;

  constructor(private readonly maxLine: number) {}

  push(chunk: Buffer): Frame[] {
    if (this.failed) return [];
    const frames: Frame[] = [];
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (end !== -1 && this.heldBytes > 0) {
      frames.push(this.joinedLine(chunk, end));
      start = end + 1;
      end = this.failed ? -1 : chunk.indexOf(NEWLINE, start);
    }
    const text = end === -1 ? undefined : asciiText(chunk, start, chunk.lastIndexOf(NEWLINE));
    for (; end !== -1 && !this.failed; end = chunk.indexOf(NEWLINE, start)) {
      frames.push(this.lineOf(chunk, start, end, text));
      start = end + 1;
    }
    if (!this.failed) this.hold(chunk.subarray(start), frames);
    return frames;
  }

  /** Bytes of an unfinished line held so far (for memory accounting). */
  get bufferedBytes(): number {
    return this.heldBytes;
  }

  /** What is held, then the bytes of `chunk` before `end`, as one line. */
  private joinedLine(chunk: Buffer, end: number): Frame {
    const bytes = Buffer.concat([this.held.subarray(0, this.heldBytes), chunk.subarray(0, end)]);
    this.release();
    return this.lineOf(bytes, 0, bytes.length);
  }

  /** Bytes [start, end) as a line, without one trailing `\r`; sliced from `text` when there is one. */
  private lineOf(bytes: Buffer, start: number, end: number, text?: AsciiText): Frame {
    const last = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
    if (last - start > this.maxLine) return this.fail();
    return { kind: 'line', line: text ? text.slice(start, last) : bytes.toString('utf8', start, last) };
  }

  private hold(rest: Buffer, frames: Frame[]): void {
    if (rest.length === 0) return;
    // One `\r` beyond the limit may still be stripped.
    if (this.heldBytes + rest.length > this.maxLine + 1) {
      frames.push(this.fail());
      return;
    }
    this.makeRoom(this.heldBytes + rest.length);
    // Copied: the caller's chunk may be reused.
    rest.copy(this.held, this.heldBytes);
    this.heldBytes += rest.length;
  }

  private makeRoom(bytes: number): void {
    if (bytes <= this.held.length) return;
    let room = Math.max(FIRST_HOLD, this.held.length);
    while (room < bytes) room *= 2;
    const larger = Buffer.alloc(Math.min(room, this.maxLine + 1));
    this.held.copy(larger, 0, 0, this.heldBytes);
    this.held = larger;
  }

  private release(): void {
    this.held = Buffer.alloc(0);
    this.heldBytes = 0;
  }

  private fail(): Frame {
    this.failed = true;
    this.release();
    return { kind: 'tooLong' };
  }
}

/**
 * A chunk's complete lines decoded at once when they are ASCII, one byte a character: a line is
 * then a slice of one string rather than a decoding of its own (about half the time a pipelined
 * line took).
 * Other text is decoded line by line, each line as it would be alone.
 */
interface AsciiText {
  slice(from: number, to: number): string;
}

function asciiText(bytes: Buffer, start: number, end: number): AsciiText | undefined {
  const run = bytes.subarray(start, end);
  if (!isAscii(run)) return undefined;
  const text = run.toString('latin1');
  return { slice: (from, to) => text.slice(from - start, to - start) };
}
