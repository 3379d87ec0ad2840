/**
 * `GET /events`: the status pages' live feed, as server-sent events (the browser's EventSource
 * reconnects by itself after a restart). First a `hello` event (the cameras, the image types, the
 * last hour of temperatures), then a `status` event whenever anything shown has changed.
 */
import { fastifySSE } from '@fastify/sse';
import type { FastifyInstance } from 'fastify';
import type { LiveFeed } from './live-feed.js';

export interface Hello {
  cameras: { camera: string; prefix: string }[];
  imageTypes: unknown;
  history: unknown;
}

export async function registerLiveRoutes(app: FastifyInstance, feed: LiveFeed, hello: () => Promise<Hello>): Promise<void> {
  await app.register(fastifySSE, { heartbeatInterval: 15_000 });
  // Snapshots arrive as JSON text already, made once for every page.
  const serializer = (data: unknown): string => (typeof data === 'string' ? data : JSON.stringify(data));
  // Feed streams never end by themselves: close them when the server closes, or it would wait for them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of open) close();
  });
  app.get('/events', { sse: { kind: 'only', serializer } }, async (request, reply) => {
    reply.sse.keepAlive();
    await reply.sse.send({ event: 'hello', data: await hello() });
    // A page that reads slowly gets the latest snapshot when it has caught up, not a backlog.
    let sending = false;
    let waiting: string | undefined;
    const send = (json: string): void => {
      if (sending) {
        waiting = json;
        return;
      }
      sending = true;
      reply.sse
        .send({ event: 'status', data: json })
        .catch(() => undefined) // the page has gone; onClose unsubscribes it
        .finally(() => {
          sending = false;
          const next = waiting;
          waiting = undefined;
          if (next !== undefined && reply.sse.isConnected) send(next);
        });
    };
    const unsubscribe = feed.subscribe(send);
    const close = (): void => reply.sse.close();
    open.add(close);
    reply.sse.onClose(() => {
      open.delete(close);
      unsubscribe();
    });
    request.log.debug('status page connected');
  });
}
