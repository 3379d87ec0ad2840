/** A scenario's clients of a server, opened in batches and always closed. */
import { AzcamClient, DEFAULT_TIMEOUT_MS } from '../../lib/client.js';

/** Where the clients connect. */
export interface Endpoint {
  host: string;
  port: number;
}

/** Connections opened at once; more would overflow the listen backlog. */
const CONNECT_BATCH = 100;

/** `count` clients, connected `CONNECT_BATCH` at a time; all closed again if one fails. */
export async function connectClients(target: Endpoint, count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AzcamClient[]> {
  const clients: AzcamClient[] = [];
  try {
    while (clients.length < count) {
      const batch = Math.min(CONNECT_BATCH, count - clients.length);
      const connecting = Array.from({ length: batch }, () => AzcamClient.connect({ host: target.host, port: target.port, timeoutMs }));
      const settled = await Promise.allSettled(connecting);
      for (const result of settled) if (result.status === 'fulfilled') clients.push(result.value);
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return clients;
  } catch (error) {
    await closeClients(clients);
    throw error;
  }
}

export async function closeClients(clients: AzcamClient[]): Promise<void> {
  await Promise.allSettled(clients.map((client) => client.close()));
}

/** Opens `count` clients, runs `use`, and closes them whatever happens. */
export async function withClients<T>(target: Endpoint, count: number, use: (clients: AzcamClient[]) => Promise<T>): Promise<T> {
  const clients = await connectClients(target, count);
  try {
    return await use(clients);
  } finally {
    await closeClients(clients);
  }
}
