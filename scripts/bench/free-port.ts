/** Free ports for servers that must be told theirs (the web port: 0 there means none). */
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

/** A free port whose successor was free too (for the default web port, command port + 1). */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await freePort(port + 1)) === port + 1) return port;
  }
}
