/**
 * Every error the server reports to a client, in one place. The reply formatter turns any thrown
 * error into `ERROR <message>`; each class has a stable `code` (as undici's `UND_ERR_*` and
 * fastify's `FST_ERR_*`), which is what code and tests match on, never the message.
 */
export type ErrorCode =
  | 'AZ_COMMAND_FAILED'
  | 'AZ_INVALID_ARGUMENT'
  | 'AZ_PARSE_ERROR'
  | 'AZ_UNKNOWN_TOOL'
  | 'AZ_UNKNOWN_COMMAND'
  | 'AZ_LINE_TOO_LONG'
  | 'AZ_SERVER_BUSY'
  | 'AZ_RESOURCE_BUSY'
  | 'AZ_EXPOSURE_IN_PROGRESS'
  | 'AZ_ABORTED'
  | 'AZ_PERMISSION_DENIED'
  | 'AZ_ACCESS_DENIED'
  | 'AZ_SHUTTING_DOWN'
  | 'AZ_TOO_MANY_CONNECTIONS'
  | 'AZ_READOUT_FAILED'
  | 'AZ_IMAGE_NOT_DURABLE'
  | 'AZ_PARAMETERS_NOT_SAVED'
  | 'AZ_IMAGE_EXISTS'
  | 'AZ_INVALID_STATE'
  | 'AZ_METHOD_NOT_ALLOWED'
  | 'AZ_CONFIG_INVALID'
  | 'AZ_REMOTE_ERROR'
  | 'AZ_TIMEOUT'
  | 'AZ_CONNECTION_CLOSED';

/** An error whose message is meant for the client. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly code: ErrorCode = 'AZ_COMMAND_FAILED';
}

/** A command's arguments are missing, malformed or out of range. */
export class InvalidArgumentError extends CommandError {
  override name = 'InvalidArgumentError';
  override readonly code = 'AZ_INVALID_ARGUMENT';
}

/** A line could not be parsed as a command (e.g. an unbalanced quote). */
export class ParseError extends CommandError {
  override name = 'ParseError';
  override readonly code = 'AZ_PARSE_ERROR';
}

export class UnknownToolError extends CommandError {
  override name = 'UnknownToolError';
  override readonly code = 'AZ_UNKNOWN_TOOL';
  constructor(tool: string) {
    super(`remote call not allowed: ${tool}`);
  }
}

export class UnknownCommandError extends CommandError {
  override name = 'UnknownCommandError';
  override readonly code = 'AZ_UNKNOWN_COMMAND';
  constructor(command: string) {
    super(`unknown command: ${command}`);
  }
}

export class LineTooLongError extends CommandError {
  override name = 'LineTooLongError';
  override readonly code = 'AZ_LINE_TOO_LONG';
  constructor() {
    super('line too long');
  }
}

/** The worker pool's queue is full; the client may retry later. */
export class ServerBusyError extends CommandError {
  override name = 'ServerBusyError';
  override readonly code = 'AZ_SERVER_BUSY';
  constructor() {
    super('server busy');
  }
}

/** A resource (a camera) is held by another command. */
export class ResourceBusyError extends CommandError {
  override name = 'ResourceBusyError';
  override readonly code: ErrorCode = 'AZ_RESOURCE_BUSY';
}

export class ExposureInProgressError extends ResourceBusyError {
  override name = 'ExposureInProgressError';
  override readonly code = 'AZ_EXPOSURE_IN_PROGRESS';
  constructor() {
    super('exposure in progress');
  }
}

export class AbortedError extends CommandError {
  override name = 'AbortedError';
  override readonly code = 'AZ_ABORTED';
  constructor(what = 'exposure') {
    super(`${what} aborted`);
  }
}

/** A command is not permitted for this client or this server's configuration. */
export class PermissionError extends CommandError {
  override name = 'PermissionError';
  override readonly code: ErrorCode = 'AZ_PERMISSION_DENIED';
}

/** The client may not use this server at all; `reason`, when given, says why and how to allow it. */
export class AccessDeniedError extends PermissionError {
  override name = 'AccessDeniedError';
  override readonly code = 'AZ_ACCESS_DENIED';
  constructor(reason?: string) {
    super(reason === undefined ? 'access denied' : `access denied: ${reason}`);
  }
}

/** The server is shutting down and accepts no new work. */
export class ShuttingDownError extends CommandError {
  override name = 'ShuttingDownError';
  override readonly code = 'AZ_SHUTTING_DOWN';
  constructor() {
    super('server shutting down');
  }
}

/** The server holds as many connections as it may (`--max-connections`); this one is refused. */
export class TooManyConnectionsError extends CommandError {
  override name = 'TooManyConnectionsError';
  override readonly code = 'AZ_TOO_MANY_CONNECTIONS';
  constructor() {
    super('too many connections');
  }
}

/** Readout processing failed (in a worker, or writing the image). */
export class ReadoutError extends CommandError {
  override name = 'ReadoutError';
  override readonly code = 'AZ_READOUT_FAILED';
}

/**
 * The image is written under its name, but what makes it survive a power failure failed (its
 * folder's flush, the save of the next sequence number): the command fails, and the image stays,
 * with its number.
 */
export class ImageNotDurableError extends CommandError {
  override name = 'ImageNotDurableError';
  override readonly code = 'AZ_IMAGE_NOT_DURABLE';
}

/** The parameter file could not be written, or its folder flushed: the values held may not survive a restart. */
export class ParametersNotSavedError extends CommandError {
  override name = 'ParametersNotSavedError';
  override readonly code = 'AZ_PARAMETERS_NOT_SAVED';
}

/** Whether the error (on this thread or revived from a worker's) leaves the image written. */
export function leavesImageWritten(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'AZ_IMAGE_NOT_DURABLE';
}

/** The next image's file exists and `imageoverwrite` is off. */
export class ImageExistsError extends CommandError {
  override name = 'ImageExistsError';
  override readonly code = 'AZ_IMAGE_EXISTS';
  constructor(path: string) {
    super(`image file already exists: ${path}`);
  }
}

/** A command that does not apply in the current state (e.g. `exposure.resume` when not paused). */
export class InvalidStateError extends CommandError {
  override name = 'InvalidStateError';
  override readonly code = 'AZ_INVALID_STATE';
}

/** A web API request used a method the command does not allow (GET for a command that changes state). */
export class MethodNotAllowedError extends CommandError {
  override name = 'MethodNotAllowedError';
  override readonly code = 'AZ_METHOD_NOT_ALLOWED';
}

/** One of our errors as plain data: the form in which it crosses from a worker thread whole. */
export interface PortableError {
  code: ErrorCode;
  message: string;
}

/**
 * One of our errors thrown on another thread, as it arrives: a thrown Error loses its class
 * crossing threads (and with it the knowledge that its message is meant for the client), so a
 * worker sends its code and message, and they come back as this.
 */
export class WorkerError extends CommandError {
  override name = 'WorkerError';
  override readonly code: ErrorCode;
  constructor({ code, message }: PortableError) {
    super(message);
    this.code = code;
  }
}

/** Bad server configuration (command line or config file); the CLI exits with code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'AZ_CONFIG_INVALID';
}

/** Another server that is still running holds the data directory; the CLI exits with code 2. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(dataDir: string, pid: number) {
    super(`data directory ${dataDir} is in use by another server (pid ${pid})`);
  }
}

/** The server could not listen where it was told to (port in use, no permission, no such address). */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(host: string, port: number, code: string | undefined) {
    super(listenFailure(host, port, code));
  }
}

function listenFailure(host: string, port: number, code: string | undefined): string {
  if (code === 'EADDRINUSE') return `port ${port} is in use by another process`;
  if (code === 'EACCES') return `no permission to listen on port ${port} (ports below 1024 need privileges)`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${host}: not an address of this machine`;
  return `cannot listen on ${host}:${port} (${code ?? 'unknown error'})`;
}

/** The server answered a client's command with ERROR (or WARNING); `reply` is the whole line. */
export class RemoteError extends Error {
  override name = 'RemoteError';
  readonly code = 'AZ_REMOTE_ERROR';
  constructor(
    message: string,
    readonly reply: string,
  ) {
    super(message);
  }
}

/** No reply arrived in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  readonly code = 'AZ_TIMEOUT';
}

/** The connection closed (or failed) before a command's reply arrived. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  readonly code = 'AZ_CONNECTION_CLOSED';
}
