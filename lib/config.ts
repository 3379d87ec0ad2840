import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import type { LogLevel } from './log.js';
import { DEFAULT_HOST, DEFAULT_PORT } from './protocol/endpoint.js';
import { DEFAULT_THREAD_IDLE_SECONDS, defaultMaxQueue, defaultThreads } from './readout/pool.js';
import { AccessList } from './server/access.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_CONNECTIONS } from './server/limits.js';
import { isHostEntry } from './web/allowed-hosts.js';

/** Everything the server can be told at start-up; every key is also a command-line flag. */
export interface ServerConfig {
  port: number;
  /** Web API, status page and metrics port; undefined = `port` + 1 (a taken default only warns), 0 = none. */
  webPort?: number;
  /** Listening address: loopback by default, `0.0.0.0` to serve the lab network. */
  host: string;
  /** Readout worker threads. */
  workers: number;
  /** Detector preset name; the app checks it against its presets. */
  detector: string;
  /** Where images are written. */
  dataDir: string;
  /** Longest accepted command line, bytes. */
  maxLine: number;
  /** Sent to each client on connect. */
  welcome?: string;
  /** Let a loopback client stop the server with `exit`. */
  allowExit: boolean;
  /** Client addresses or CIDR ranges allowed to connect; empty = all. */
  allow: string[];
  /** Host names the web port answers to besides addresses, localhost and this machine's; `*` = any. */
  webHosts: string[];
  logLevel: LogLevel;
  /** Also write JSON log lines here. */
  logFile?: string;
  /** Drop a client silent for this many seconds; 0 = never. */
  idleTimeout: number;
  cameras: number;
  /** Readout tasks that may wait for a worker before commands get `ERROR server busy`. */
  maxQueue: number;
  /** Seconds a graceful stop may take before what still runs is aborted. */
  stopTimeout: number;
  /** Seconds after which an idle readout thread ends, returning its memory; 0 = threads live for good. */
  threadIdle: number;
  /** Clients served at once (fewer if the open-file limit leaves no room for them). */
  maxConnections: number;
}

export type ConfigInput = Partial<ServerConfig>;

const defaultWorkers = defaultThreads();

export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  port: DEFAULT_PORT,
  host: DEFAULT_HOST,
  workers: defaultWorkers,
  detector: 'itl4k',
  dataDir: './data',
  maxLine: DEFAULT_LIMITS.maxLine,
  allowExit: false,
  allow: [],
  webHosts: [],
  logLevel: 'info',
  idleTimeout: 0,
  cameras: 1,
  maxQueue: defaultMaxQueue(defaultWorkers),
  stopTimeout: 30,
  threadIdle: DEFAULT_THREAD_IDLE_SECONDS,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
};

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

type FieldType = 'number' | 'string' | 'boolean' | 'string[]';

const FIELD_TYPES: Record<keyof ServerConfig, FieldType> = {
  port: 'number',
  webPort: 'number',
  host: 'string',
  workers: 'number',
  detector: 'string',
  dataDir: 'string',
  maxLine: 'number',
  welcome: 'string',
  allowExit: 'boolean',
  allow: 'string[]',
  webHosts: 'string[]',
  logLevel: 'string',
  logFile: 'string',
  idleTimeout: 'number',
  cameras: 'number',
  maxQueue: 'number',
  stopTimeout: 'number',
  threadIdle: 'number',
  maxConnections: 'number',
};

/**
 * Reads a JSON config file. Keys are the config names (`dataDir`) or the flag names (`data-dir`);
 * an unknown key or a value of the wrong type is refused, so a typo never passes silently.
 */
export function loadConfigFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    return parseConfigObject(JSON.parse(text) as unknown);
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
}

/** Checks the keys and value types of a parsed config file. */
export function parseConfigObject(value: unknown): ConfigInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('expected a JSON object');
  const config: Record<string, unknown> = {};
  for (const [rawKey, field] of Object.entries(value)) {
    const key = camelCase(rawKey);
    if (!Object.hasOwn(FIELD_TYPES, key)) throw new ConfigError(`unknown key "${rawKey}"`);
    const type = FIELD_TYPES[key as keyof ServerConfig];
    if (!hasType(field, type)) throw new ConfigError(`"${rawKey}" must be ${describeType(type)}, got ${JSON.stringify(field)}`);
    config[key] = field;
  }
  return config as ConfigInput;
}

/**
 * Later sources win: flags over file over defaults. Undefined values count as not given.
 * `maxQueue`, unless given, follows the final `workers`.
 */
export function mergeConfig(defaults: Readonly<ServerConfig>, file: ConfigInput = {}, flags: ConfigInput = {}): ServerConfig {
  const merged: ServerConfig = { ...defaults, ...definedOnly(file), ...definedOnly(flags) };
  if (file.maxQueue === undefined && flags.maxQueue === undefined) merged.maxQueue = defaultMaxQueue(merged.workers);
  return merged;
}

/**
 * Refuses out-of-range values; the message names the setting as spelled on the command line (also
 * accepted as a config file key). Returns the config unchanged.
 */
export function validateConfig(config: ServerConfig): ServerConfig {
  requireInteger('port', config.port, 0, 65535);
  if (config.webPort !== undefined) requireInteger('web-port', config.webPort, 0, 65535);
  requireText('host', config.host);
  requireInteger('workers', config.workers, 1, 1024);
  requireText('detector', config.detector);
  requireText('data-dir', config.dataDir);
  requireInteger('max-line', config.maxLine, 80, 2 ** 30);
  if (config.welcome !== undefined && /[\r\n]/.test(config.welcome)) throw new ConfigError('welcome must be a single line');
  if (!LOG_LEVELS.includes(config.logLevel)) throw new ConfigError(`log-level must be one of ${LOG_LEVELS.join(', ')}, got ${config.logLevel}`);
  if (config.logFile !== undefined) requireText('log-file', config.logFile);
  if (!(Number.isFinite(config.idleTimeout) && config.idleTimeout >= 0)) {
    throw new ConfigError(`idle-timeout must be a number of seconds >= 0, got ${config.idleTimeout}`);
  }
  requireInteger('cameras', config.cameras, 1, 16);
  requireInteger('max-connections', config.maxConnections, 1, 1_000_000);
  if (!(Number.isFinite(config.stopTimeout) && config.stopTimeout >= 0 && config.stopTimeout <= 86_400)) {
    throw new ConfigError(`stop-timeout must be a number of seconds from 0 to 86400, got ${config.stopTimeout}`);
  }
  requireInteger('max-queue', config.maxQueue, 0, 1_000_000);
  // Below a second a thread would end between the readouts of one sequence, each paying its start-up.
  if (!(config.threadIdle === 0 || (Number.isFinite(config.threadIdle) && config.threadIdle >= 1 && config.threadIdle <= 86_400))) {
    throw new ConfigError(`thread-idle must be 0 (never) or a number of seconds from 1 to 86400, got ${config.threadIdle}`);
  }
  new AccessList(config.allow); // throws ConfigError naming a bad entry
  const badHost = config.webHosts.find((entry) => !isHostEntry(entry));
  if (badHost !== undefined) throw new ConfigError(`invalid --web-hosts entry: "${badHost}" (expected a host name without a port, or *)`);
  return config;
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

function requireText(name: string, value: string): void {
  if (value.trim() === '') throw new ConfigError(`${name} must not be empty`);
}

function hasType(value: unknown, type: FieldType): boolean {
  if (type === 'string[]') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === type;
}

function describeType(type: FieldType): string {
  return type === 'string[]' ? 'an array of strings' : `a ${type}`;
}

function camelCase(key: string): string {
  return key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function definedOnly(input: ConfigInput): ConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
