import winston from 'winston';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogOptions {
  level?: LogLevel;
  /** Also write JSON lines to this file. */
  file?: string;
  /** Write nothing to the console (tests, benchmarks). */
  silent?: boolean;
}

const consoleFormat = winston.format.combine(
  winston.format.timestamp(),
  winston.format.errors({ stack: true }),
  winston.format.printf(({ timestamp, level, message, stack, ...meta }) => {
    const extra = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
    return `${String(timestamp)} ${level} ${String(message)}${extra}${stack ? `\n${String(stack)}` : ''}`;
  }),
);

const jsonFormat = winston.format.combine(
  winston.format.timestamp(),
  winston.format.errors({ stack: true }),
  winston.format.json(),
);

/** The one process-wide logger; library code takes children of it. */
export const log = winston.createLogger({
  level: 'info',
  transports: [new winston.transports.Console({ format: consoleFormat, stderrLevels: ['error', 'warn', 'info', 'debug'] })],
});

/** Reconfigure the process-wide logger (the CLI does this once at start-up). */
export function configureLog(options: LogOptions): void {
  const transports: winston.transport[] = [
    new winston.transports.Console({
      format: consoleFormat,
      silent: options.silent ?? false,
      stderrLevels: ['error', 'warn', 'info', 'debug'],
    }),
  ];
  if (options.file) transports.push(new winston.transports.File({ filename: options.file, format: jsonFormat }));
  log.configure({ level: options.level ?? 'info', transports });
}
