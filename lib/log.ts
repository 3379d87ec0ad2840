import winston from 'winston';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogOptions {
  level?: LogLevel;
  /** Also write JSON lines to this file. */
  file?: string;
  /** Write nothing to the console (tests, benchmarks). */
  silent?: boolean;
  /** Colour the level names; default: when stderr is a terminal. */
  colour?: boolean;
}

/** The console line format; `colour` colours the level name. */
export function consoleFormat(colour: boolean): winston.Logform.Format {
  return winston.format.combine(
    winston.format.timestamp(),
    winston.format.errors({ stack: true }),
    ...(colour ? [winston.format.colorize({ level: true, colors: winston.config.npm.colors })] : []),
    winston.format.printf(({ timestamp, level, message, stack, ...meta }) => {
      const extra = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
      return `${String(timestamp)} ${level} ${String(message)}${extra}${stack ? `\n${String(stack)}` : ''}`;
    }),
  );
}

const jsonFormat = winston.format.combine(
  winston.format.timestamp(),
  winston.format.errors({ stack: true }),
  winston.format.json(),
);

function consoleTransport(options: LogOptions): winston.transport {
  return new winston.transports.Console({
    format: consoleFormat(options.colour ?? process.stderr.isTTY === true),
    silent: options.silent ?? false,
    stderrLevels: ['error', 'warn', 'info', 'debug'],
  });
}

/** The one process-wide logger; library code takes children of it. */
export const log = winston.createLogger({ level: 'info', transports: [consoleTransport({})] });

let logFile: { path: string; transport: winston.transport } | undefined;

/** Reconfigure the process-wide logger (the CLI does this once at start-up). */
export function configureLog(options: LogOptions): void {
  logFile = options.file ? { path: options.file, transport: openLogFile(options.file) } : undefined;
  log.configure({ level: options.level ?? 'info', transports: [consoleTransport(options), ...(logFile ? [logFile.transport] : [])] });
}

/**
 * Closes the log file and opens it again by name, so that after logrotate has renamed it the log
 * goes on in a new file of the old name (the server does this on SIGHUP). False without a file.
 */
export function reopenLogFile(): boolean {
  if (!logFile) return false;
  const old = logFile.transport;
  logFile.transport = openLogFile(logFile.path);
  log.add(logFile.transport);
  log.remove(old); // ends the old stream once what it holds is written
  return true;
}

function openLogFile(filename: string): winston.transport {
  return new winston.transports.File({ filename, format: jsonFormat });
}
