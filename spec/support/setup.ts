import { configureLog, type LogLevel } from '../../lib/log.js';

// Tests are quiet unless LOG_LEVEL asks for the server's log.
const level = process.env['LOG_LEVEL'] as LogLevel | undefined;
configureLog(level ? { level } : { silent: true });
