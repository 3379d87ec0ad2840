/**
 * The web port (command port + 1, as azcam): the web API, the live status page and its feed, and
 * `/metrics`, all on the main thread and running commands through the command socket's dispatcher.
 */
import { fastify, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { ToolRegistry } from '../dispatch/registry.js';
import { CommandError } from '../errors.js';
import { log } from '../log.js';
import { registerAccessCheck } from './access.js';
import { registerApiRoutes } from './api-routes.js';
import { CameraReader } from './camera-reader.js';
import { cameraSnapshot, previewPath } from './camera-snapshot.js';
import { registerDocsRoutes } from './docs-routes.js';
import { errorBody } from './error-body.js';
import { registerJsonBodies } from './json-body.js';
import type { LastImages } from './last-images.js';
import { LiveFeed } from './live-feed.js';
import { registerLiveRoutes } from './live-routes.js';
import type { ServerMetrics } from './metrics.js';
import { registerPageRoutes } from './page-routes.js';
import { TemperatureHistory } from './temperature-history.js';

export interface WebServerOptions {
  dispatcher: Dispatcher;
  /** The dispatcher's command tables: what a GET may run, and the API's description. */
  tools: ToolRegistry;
  /** The command socket's: the web port listens on the same address and admits the same clients. */
  host: string;
  allow: readonly string[];
  /** `--web-hosts`: names to answer to besides addresses, localhost, this machine's names and `host`. */
  webHosts: readonly string[];
  /** Each camera's tool prefix: '' for camera 1, then `cam2`, ... */
  cameraPrefixes: readonly string[];
  metrics: ServerMetrics;
  /** Each camera's last image, recorded by the readout port. */
  lastImages: LastImages;
  /** How often the live feed looks for changes; default 500 ms. */
  feedIntervalMs?: number;
}

/** Largest accepted request body: a command is one line. */
const BODY_LIMIT = 64 * 1024;

export class WebServer {
  readonly #app: FastifyInstance;
  readonly #feed: LiveFeed;
  readonly #history: TemperatureHistory;
  readonly #ready: Promise<void>;

  constructor(private readonly options: WebServerOptions) {
    const cameras = options.cameraPrefixes.map((prefix) => new CameraReader(options.dispatcher, prefix));
    this.#history = new TemperatureHistory(cameras);
    const snapshot = (camera: CameraReader) => cameraSnapshot(camera, options.lastImages.get(camera.name));
    this.#feed = new LiveFeed(async () => ({ time: Date.now(), cameras: await Promise.all(cameras.map(snapshot)) }), options.feedIntervalMs);
    this.#app = fastify({ logger: false, bodyLimit: BODY_LIMIT });
    this.#ready = this.#build(cameras);
  }

  /** Listens on `port` (0: any free one); resolves with the bound port. Rejects (EADDRINUSE...) as `listen` does. */
  async listen(port: number): Promise<number> {
    await this.#ready;
    await this.#app.listen({ port, host: this.options.host });
    this.#history.start();
    log.info(`web API and status page on http://${formatHost(this.options.host)}:${this.port}/`);
    return this.port;
  }

  get port(): number {
    return (this.#app.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Closes the feed's streams and the port; requests under way (an HTTP `expose`) finish first. */
  async stop(): Promise<void> {
    this.#history.stop();
    this.#feed.close();
    await this.#app.close();
  }

  async #build(cameras: CameraReader[]): Promise<void> {
    const app = this.#app;
    const { dispatcher, metrics } = this.options;
    registerJsonBodies(app);
    app.setErrorHandler(async (error: Error & { statusCode?: number }, _request, reply) => {
      await reply.code(error.statusCode ?? 500).send(errorBody(new CommandError(error.message)));
    });
    app.setNotFoundHandler(async (request, reply) => {
      await reply.code(404).send(errorBody(new CommandError(`not found: ${request.method} ${request.url}`)));
    });
    registerAccessCheck(app, this.options);
    registerApiRoutes(app, dispatcher, this.options.tools);
    app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
    for (const { name } of cameras) {
      app.get(previewPath(name), async (_request, reply) => {
        const last = this.options.lastImages.get(name);
        if (!last) return reply.code(404).send(errorBody(new CommandError(`no image yet from ${name}`)));
        return reply.type('image/png').header('cache-control', 'no-store').send(Buffer.from(last.preview.png));
      });
    }
    const [first] = cameras;
    await registerLiveRoutes(app, this.#feed, async () => ({
      cameras: cameras.map(({ name, prefix }) => ({ camera: name, prefix })),
      imageTypes: await first?.ask('exposure', 'get_image_types'),
      history: this.#history.points(),
    }));
    await registerDocsRoutes(app, this.options.tools);
    await registerPageRoutes(app);
  }
}

/** An IPv6 address goes in brackets in a URL. */
function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
