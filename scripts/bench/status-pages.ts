/**
 * Status pages held open on the web port, as observers keep them all night: each one the page's
 * live feed (`GET /events`, server-sent events), read as a browser reads it.
 */
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { once } from 'node:events';

export interface StatusPages {
  /** Feed messages received so far, over all pages. */
  readonly messages: number;
  close(): void;
}

export async function openStatusPages(host: string, port: number, count: number): Promise<StatusPages> {
  const requests: ClientRequest[] = [];
  let messages = 0;
  const close = (): void => requests.forEach((request) => request.destroy());
  try {
    for (let page = 0; page < count; page++) {
      const request = get({ host, port, path: '/events', headers: { accept: 'text/event-stream' } });
      requests.push(request);
      const [response] = (await once(request, 'response')) as [IncomingMessage];
      if (response.statusCode !== 200) throw new Error(`status page feed: HTTP ${response.statusCode}`);
      response.on('data', (chunk: Buffer) => (messages += chunk.toString().split('\n\n').length - 1));
      response.on('error', () => undefined); // destroyed by close()
    }
  } catch (error) {
    close();
    throw error;
  }
  return {
    get messages() {
      return messages;
    },
    close,
  };
}
