// TEMPORARY stand-in written for the CLI work (issue 7); the lead replaces it with the real app
// assembly (instrument tools, readout pool, cameras). Only the interface below is relied upon.
import type { ServerConfig } from './config.js';
import { ToolRegistry } from './dispatch/registry.js';
import { CommandServer } from './server/command-server.js';

export interface CameraServerApp {
  readonly port: number;
  stop(): Promise<void>;
  /** Resolves when stopped for any reason (e.g. a client's allowed `exit`). */
  readonly stopped: Promise<void>;
}

export async function startCameraServer(config: ServerConfig): Promise<CameraServerApp> {
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = (): Promise<void> => server.stop().then(markStopped);
  const server = new CommandServer(new ToolRegistry(), {
    port: config.port,
    host: config.host,
    welcome: config.welcome,
    allowExit: config.allowExit,
    allow: config.allow,
    maxLine: config.maxLine,
    idleTimeoutMs: config.idleTimeout * 1000,
    onExit: () => void stop(),
  });
  const port = await server.start();
  return { port, stop, stopped };
}
