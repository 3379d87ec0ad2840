/**
 * The light-command yardstick: a bare Node line server in the bench's process, as our server is,
 * answering every line with one fixed reply and doing nothing else: no parsing, no dispatch, no
 * limits. The same load against it shows what Node's sockets alone cost on this machine.
 */
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import type { ServerTarget } from './target.js';

const NEWLINE = 0x0a;

/** Serves on a free port of 127.0.0.1; each line gets `reply` and CRLF, in one write per chunk read. */
export async function startBareLineServer(reply: string): Promise<ServerTarget> {
  const line = `${reply}\r\n`;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let lines = 0;
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) lines++;
      if (lines) socket.write(line.repeat(lines));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the bare line server has no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
