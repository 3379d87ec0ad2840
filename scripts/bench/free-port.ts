/** A free port for a server that must be told its own (the web port: 0 there means none). */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

/** A port free a moment ago (listen on it, close); 0 when `port` is taken. */
export async function freePort(port = 0): Promise<number> {
  const probe = createServer().listen(port, '127.0.0.1');
  // once() rejects on 'error': a taken port
  const listening = await once(probe, 'listening').then(() => true, () => false);
  if (!listening) return 0;
  const bound = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return bound;
}
