import type { Socket } from 'node:net';

const corked = new WeakSet<Socket>();

/**
 * Writes to the socket, coalescing every write made in the same tick into one system call.
 * Pipelined commands and their replies come in bursts; one `write(2)` per line was half of the
 * main thread's time under load.
 */
export function writeCoalesced(socket: Socket, text: string): void {
  if (!corked.has(socket)) {
    corked.add(socket);
    socket.cork();
    process.nextTick(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  socket.write(text);
}
