import { ListenError } from '../errors.js';
import { log } from '../log.js';
import { WebServer, type WebServerOptions } from './web-server.js';

/**
 * Starts the web server on its port: `--web-port`, or by default the command port + 1 (azcam's
 * rule). A default port that cannot be had only costs the web pages (a warning; the command server
 * runs on), while an explicit `--web-port` that cannot be had is a ListenError (exit code 2).
 * `--web-port 0` means no web server. Resolves with undefined when there is none.
 */
export async function startWebServer(webPort: number | undefined, commandPort: number, options: WebServerOptions): Promise<WebServer | undefined> {
  if (webPort === 0) return undefined;
  const port = webPort ?? commandPort + 1;
  const web = new WebServer(options);
  try {
    await web.listen(port);
    return web;
  } catch (error) {
    await web.stop();
    if (webPort === undefined) {
      log.warn('web port unavailable: running without the web API, status page and metrics', { port, error: (error as Error).message });
      return undefined;
    }
    throw new ListenError(options.host, port, (error as NodeJS.ErrnoException).code);
  }
}
