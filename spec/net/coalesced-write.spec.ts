import { expect } from 'chai';
import type { Socket } from 'node:net';
import { CoalescedWriter } from '../../lib/net/coalesced-write.js';

/** The part of a socket the writer uses, recording each write and the end. */
class FakeSocket {
  writes: string[] = [];
  ended = false;
  writable = true;
  writableLength = 0;
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('CoalescedWriter', () => {
  it('joins the writes of one tick into one socket write', async () => {
    const socket = new FakeSocket();
    const writer = new CoalescedWriter(socket as unknown as Socket);
    writer.write('OK a\r\n');
    writer.write('OK b\r\n');
    expect(socket.writes).to.deep.equal([]);
    expect(writer.backlog).to.equal(12);
    await tick();
    writer.write('OK c\r\n');
    await tick();
    expect(socket.writes).to.deep.equal(['OK a\r\nOK b\r\n', 'OK c\r\n']);
    expect(writer.backlog).to.equal(0);
  });

  it('sends what this tick wrote before it half-closes, and nothing twice', async () => {
    const socket = new FakeSocket();
    const writer = new CoalescedWriter(socket as unknown as Socket);
    writer.write('OK last\r\n');
    writer.end();
    await tick();
    expect(socket.writes).to.deep.equal(['OK last\r\n']);
    expect(socket.ended).to.equal(true);
  });

  it('writes nothing to a socket that is no longer writable', async () => {
    const socket = new FakeSocket();
    const writer = new CoalescedWriter(socket as unknown as Socket);
    writer.write('OK lost\r\n');
    socket.writable = false;
    await tick();
    expect(socket.writes).to.deep.equal([]);
  });
});
