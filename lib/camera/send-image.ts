/**
 * azcam's image sending (`exposure.sendimage`): after a readout azcam can push the file to a
 * remote image server. The dataserver protocol: a 256-byte header, `"%16d %s %d %d %d %d"` (size,
 * remote name — `!` first to overwrite —, file type, columns, rows, display flag), then the bytes.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { CommandError } from '../errors.js';
import { log } from '../log.js';

export interface RemoteImageServer {
  host: string;
  port: number;
  type: string;
  filename: string;
}

/** What `set_remote_imageserver` sets by default. */
export const DEFAULT_REMOTE: RemoteImageServer = { host: '', port: 6543, type: 'dataserver', filename: 'image' };
/** Before any is set, as azcam's SendImage starts (its `get_remote_imageserver` then replies `OK 0`). */
export const NO_REMOTE: RemoteImageServer = { host: '', port: 0, type: '', filename: '' };
const HEADER_BYTES = 256;
const TIMEOUT_MS = 10_000;

export interface SendOptions {
  fileType: number;
  columns: number;
  rows: number;
  overwrite: boolean;
}

/** The dataserver header for a file of `size` bytes. */
export function dataserverHeader(size: number, remoteFile: string, o: SendOptions): Buffer {
  const name = o.overwrite ? `!${remoteFile}` : remoteFile;
  const text = `${String(size).padStart(16)} ${name} ${o.fileType} ${o.columns} ${o.rows} 0`;
  if (text.length > HEADER_BYTES) throw new CommandError(`remote file name too long: ${remoteFile}`);
  return Buffer.from(text.padEnd(HEADER_BYTES), 'latin1');
}

/** Sends `localFile` to the remote image server; rejects with a clear message when it cannot. */
export async function sendImage(remote: RemoteImageServer, localFile: string, remoteFile: string, options: SendOptions): Promise<void> {
  if (!remote.host) throw new CommandError('no remote image server: use exposure.sendimage.set_remote_imageserver HOST PORT');
  const bytes = await readFile(localFile).catch((error: Error) => {
    throw new CommandError(`cannot read ${localFile}: ${error.message}`);
  });
  const socket = connect({ host: remote.host, port: remote.port, timeout: TIMEOUT_MS });
  socket.on('timeout', () => socket.destroy(new Error('timed out')));
  try {
    await once(socket, 'connect');
    socket.write(dataserverHeader(bytes.length, remoteFile, options));
    socket.end(bytes);
    await once(socket, 'close');
  } catch (error) {
    socket.destroy();
    throw new CommandError(`could not send image to ${remote.host}:${remote.port}: ${(error as Error).message}`);
  }
  log.info('image sent', { file: localFile, to: `${remote.host}:${remote.port}`, as: remoteFile });
}
