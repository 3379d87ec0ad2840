#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { startCameraServer, type CameraServerApp } from '../lib/app.js';
import { DEFAULT_CONFIG, LOG_LEVELS, loadConfigFile, mergeConfig, validateConfig, type ServerConfig } from '../lib/config.js';
import { ConfigError, DataDirInUseError, ListenError } from '../lib/errors.js';
import { configureLog, log, reopenLogFile } from '../lib/log.js';
import { fullWidth, numberOption, stringOption } from './options.js';

const NAME = 'azcam-server';
const USAGE_ERROR = 2;
/** After a graceful stop the process exits on its own; this bounds a handle that lingers. */
const EXIT_GRACE_MS = 3000;

function readConfig(argv: string[]): ServerConfig {
  const args = fullWidth(yargs(argv))
    .scriptName(NAME)
    .usage(`$0 [options]\n\nCCD camera command server speaking the azcam line protocol.`)
    .options({
      port: numberOption('port', 'TCP port to listen on; 0 picks a free one', DEFAULT_CONFIG.port),
      'web-port': numberOption('web-port', 'web API, status page and /metrics port; 0 = none', 'port + 1'),
      host: stringOption('host', 'address to listen on; 0.0.0.0 serves the lab network', DEFAULT_CONFIG.host),
      workers: numberOption('workers', 'readout worker threads', `one per core, here ${DEFAULT_CONFIG.workers}`),
      detector: stringOption('detector', 'detector preset: itl4k, sta2k or mosaic10k', DEFAULT_CONFIG.detector),
      'data-dir': stringOption('data-dir', 'folder where images are written', DEFAULT_CONFIG.dataDir),
      'max-line': numberOption('max-line', 'longest accepted command line, bytes', DEFAULT_CONFIG.maxLine),
      welcome: stringOption('welcome', 'line sent to each client when it connects', 'none'),
      'allow-exit': { type: 'boolean', description: 'let a client on this machine stop the server with `exit`', defaultDescription: 'false' },
      allow: {
        type: 'string',
        array: true,
        requiresArg: true,
        description: 'client address or CIDR range allowed to connect (repeatable)',
        defaultDescription: 'any client',
      },
      'web-hosts': {
        type: 'string',
        array: true,
        requiresArg: true,
        coerce: (entries: string[]) => entries.flatMap((entry) => entry.split(',')),
        description: 'host names the web port answers to besides IP addresses, localhost and this machine\'s names (comma-separated or repeatable; * = any)',
        defaultDescription: 'none',
      },
      'log-level': { choices: LOG_LEVELS, requiresArg: true, description: 'console and file log level', defaultDescription: DEFAULT_CONFIG.logLevel },
      'log-file': stringOption('log-file', 'also write JSON log lines to this file', 'none'),
      config: stringOption('config', 'JSON file with any of these settings (keys like dataDir or data-dir); flags override it', 'none'),
      'idle-timeout': numberOption('idle-timeout', 'drop a client that sends no complete command for this many seconds; 0 = never', DEFAULT_CONFIG.idleTimeout),
      cameras: numberOption('cameras', 'number of simulated cameras (1-16)', DEFAULT_CONFIG.cameras),
      'max-queue': numberOption('max-queue', 'readouts that may wait for a worker before commands get ERROR server busy', '4 x workers'),
      'max-connections': numberOption('max-connections', 'clients served at once; more get ERROR too many connections', DEFAULT_CONFIG.maxConnections),
      'stop-timeout': numberOption('stop-timeout', 'seconds a graceful stop may take before running exposures and readouts are aborted', DEFAULT_CONFIG.stopTimeout),
      'thread-idle': numberOption('thread-idle', 'seconds after which an idle readout thread ends, returning its memory; 0 = never', DEFAULT_CONFIG.threadIdle),
    })
    .example('$0 --port 2402 --data-dir /data/ccd', 'serve the simulated camera on this machine')
    .example('$0 --host 0.0.0.0 --allow 10.30.0.0/16 --log-file azcam.jsonl', 'serve the lab network, logging to a file')
    .example('$0 --config /etc/azcam/server.json', 'take the settings from a JSON file')
    .alias('h', 'help')
    .strict()
    .fail((message, error) => exitWithUsageError(error?.message ?? message))
    .parseSync();
  const file = args.config ? loadConfigFile(args.config) : {};
  const flags = {
    port: args.port,
    webPort: args.webPort,
    host: args.host,
    workers: args.workers,
    detector: args.detector,
    dataDir: args.dataDir,
    maxLine: args.maxLine,
    welcome: args.welcome,
    allowExit: args.allowExit,
    allow: args.allow,
    webHosts: args.webHosts,
    logLevel: args.logLevel,
    logFile: args.logFile,
    idleTimeout: args.idleTimeout,
    cameras: args.cameras,
    maxQueue: args.maxQueue,
    stopTimeout: args.stopTimeout,
    threadIdle: args.threadIdle,
    maxConnections: args.maxConnections,
  };
  return validateConfig(mergeConfig(DEFAULT_CONFIG, file, flags));
}

function exitWithUsageError(message: string): never {
  console.error(`${NAME}: ${message}\nRun ${NAME} --help for the options.`);
  process.exit(USAGE_ERROR);
}

/** SIGHUP (logrotate's postrotate): reopen --log-file under its name; the server runs on. */
function reopenLogOnHangup(): void {
  process.on('SIGHUP', () => {
    if (reopenLogFile()) log.info('SIGHUP: log file reopened');
    else log.info('SIGHUP: no --log-file to reopen; going on');
  });
}

/** First SIGINT/SIGTERM: graceful stop (running commands reply). A second one: exit at once. */
function stopOnSignals(app: CameraServerApp): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal}: stopping gracefully (send it again to exit at once)`);
    app.stop().catch((error: unknown) => {
      log.error('graceful stop failed', error);
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

async function main(): Promise<void> {
  const config = readConfig(hideBin(process.argv));
  configureLog({ level: config.logLevel, file: config.logFile });
  reopenLogOnHangup();
  const app = await startCameraServer(config);
  stopOnSignals(app);
  log.info(`listening on ${formatAddress(config.host, app.port)}`);
  await app.stopped;
  log.info('server stopped');
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) exitWithUsageError(error.message);
  if (error instanceof ListenError || error instanceof DataDirInUseError) {
    console.error(`${NAME}: ${error.message}`);
    process.exit(USAGE_ERROR);
  }
  log.error('server failed', error);
  process.exitCode = 1;
});
