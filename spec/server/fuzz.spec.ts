import { expect } from 'chai';
import fc from 'fast-check';
import { parseCommand } from '../../lib/protocol/parse.js';
import { LineClient } from '../support/line-client.js';
import { startServer, type TestServer } from '../support/test-tools.js';

const NEWLINE = 0x0a;
const REPLY = /^(OK|ERROR|WARNING)(\s|$)/;

/** Any bytes but a newline (a newline would make it two lines). */
const noNewline = (bytes: Uint8Array): Buffer => Buffer.from(bytes.map((byte) => (byte === NEWLINE ? 0 : byte)));
const text = (arbitrary: fc.Arbitrary<string>): fc.Arbitrary<Buffer> => arbitrary.map((s) => noNewline(Buffer.from(s)));

const garbage = fc.uint8Array({ minLength: 1, maxLength: 300 }).map(noNewline);
const nulBytes = fc.array(fc.constantFrom(0, 0x20, 0x41, 0x2e), { minLength: 1, maxLength: 50 }).map((bytes) => noNewline(Uint8Array.from(bytes)));
const invalidUtf8 = fc
  .array(
    fc.oneof(
      fc.constantFrom([0xc3], [0xe2, 0x82], [0xff], [0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]),
      fc.constantFrom([0x65, 0x63, 0x68, 0x6f, 0x20], [0x22], [0x27], [0x20]),
    ),
    { minLength: 1, maxLength: 30 },
  )
  .map((parts) => Buffer.from(parts.flat()));
const quoty = text(fc.string({ unit: fc.constantFrom('"', "'", ' ', 'a', '\\', '#', '=', 'é', '\t', '\r', '.'), minLength: 1, maxLength: 60 }));
const manyArguments = fc
  .tuple(fc.constantFrom('echo', 'test.add', 'test.fast', 'register', 'nothing.at_all'), fc.integer({ min: 500, max: 10_000 }), fc.constantFrom('x', '1', 'k=v', '"a b"'))
  .map(([command, count, word]) => Buffer.from(`${command}${` ${word}`.repeat(count)}`));

const names = [
  'echo', 'ECHO', 'register', 'Register', 'updatemonitor', 'exit', 'test.add', 'test.fast', 'test.fail', 'test.failLater',
  'test.delay', 'test.nothing', 'test._x', 'test.constructor', 'test.toString', 'test.__proto__', 'test.control',
  'exposure.expose', 'api.get_status', 'get_temperatures', 'cam2.exposure.expose', '.x', 'x.', '_private', 'test..add',
];
const argument = fc.oneof(
  fc.constantFrom('abc', '1.5', '-0', '1e999', 'NaN', 'Infinity', '0x10', '', '""', "''", 'key=value', 'k="a b"', '"k=v"', '-1', '99999999999999999999', '#', '\\', 'é'),
  fc.string({ maxLength: 10 }),
  fc.double().map(String),
);
const validLooking = fc
  .tuple(fc.constantFrom(...names), fc.array(argument, { maxLength: 6 }), fc.constantFrom('0', '1', 'x', '-5', '1.5'))
  .map(([name, args, delay]) => {
    // test.delay sleeps: give it a short time, valid or not.
    const rest = name === 'test.delay' ? [delay] : args;
    return noNewline(Buffer.from([name, ...rest].join(' ')));
  });

const line = fc.tuple(
  fc.oneof(garbage, nulBytes, invalidUtf8, quoty, manyArguments, validLooking, validLooking),
  fc.boolean(),
).map(([bytes, crlf]) => (crlf ? Buffer.concat([bytes, Buffer.from('\r')]) : bytes));

/** The line as the server sees it: one trailing \r removed, decoded as UTF-8. */
const decoded = (bytes: Buffer): string => (bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes).toString('utf8');

/** Lines that end the connection by design (empty line, closeconnection) are left out. */
function keepsConnection(bytes: Buffer): boolean {
  const seen = decoded(bytes);
  if (seen.trim() === '') return false;
  try {
    const command = parseCommand(seen);
    return !(command?.tool === undefined && command?.method.toLowerCase() === 'closeconnection');
  } catch {
    return true;
  }
}

const lines = fc.array(line.filter(keepsConnection), { minLength: 1, maxLength: 12 });

describe('bad input (fuzz over real sockets)', () => {
  let test: TestServer;
  let bystander: LineClient;
  const unhandled: unknown[] = [];
  const record = (reason: unknown): number => unhandled.push(reason);

  beforeEach(async () => {
    process.on('unhandledRejection', record);
    unhandled.length = 0;
    test = await startServer({ maxLine: 64 * 1024 });
    bystander = await LineClient.connect(test.port);
  });

  afterEach(async () => {
    process.off('unhandledRejection', record);
    bystander.close();
    await test.server.stop();
  });

  it('answers every complete line with exactly one OK/ERROR/WARNING line, and keeps serving others', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(lines, async (batch) => {
        const c = await LineClient.connect(test.port);
        try {
          const sentinel = `sentinel-${run++}`;
          c.send(Buffer.concat([...batch.flatMap((bytes) => [bytes, Buffer.from('\n')]), Buffer.from(`echo ${sentinel}\n`)]));
          const replies = await c.nextLines(batch.length + 1);
          expect(replies.slice(0, -1).every((reply) => reply !== undefined && REPLY.test(reply)), JSON.stringify(replies)).to.equal(true);
          expect(replies.at(-1)).to.equal(`OK ${sentinel}`);
        } finally {
          c.close();
        }
      }),
      { numRuns: 200 },
    );
    expect(await bystander.command('echo alive')).to.equal('OK alive');
    expect(unhandled).to.deep.equal([]);
  });

  it('answers lines up to an over-long one, then ERROR line too long, then closes', async () => {
    await test.server.stop();
    const maxLine = 200;
    test = await startServer({ maxLine });
    bystander = await LineClient.connect(test.port);
    // The limit counts bytes, after one trailing \r is removed.
    const length = (bytes: Buffer): number => (bytes.at(-1) === 0x0d ? bytes.length - 1 : bytes.length);
    const withLong = fc.array(fc.oneof(line, garbage.map((bytes) => Buffer.concat([bytes, bytes, bytes]))).filter(keepsConnection), {
      minLength: 1,
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(withLong, async (batch) => {
        const c = await LineClient.connect(test.port);
        try {
          const first = batch.findIndex((bytes) => length(bytes) > maxLine);
          c.send(Buffer.concat([...batch.flatMap((bytes) => [bytes, Buffer.from('\n')]), Buffer.from('echo end\n')]));
          if (first === -1) {
            const replies = await c.nextLines(batch.length + 1);
            expect(replies.at(-1)).to.equal('OK end');
            return;
          }
          const replies = await c.nextLines(first + 2);
          expect(replies.slice(0, first).every((reply) => reply !== undefined && REPLY.test(reply))).to.equal(true);
          expect(replies.slice(first)).to.deep.equal(['ERROR line too long', undefined]);
        } finally {
          c.close();
        }
      }),
      { numRuns: 100 },
    );
    expect(await bystander.command('echo alive')).to.equal('OK alive');
    expect(unhandled).to.deep.equal([]);
  });
});
