/**
 * Every error the server reports to a client, in one place. The reply formatter turns any thrown
 * error into `ERROR <message>`; these classes exist so that code (and tests) can tell them apart.
 */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** A command's arguments are missing, malformed or out of range. */
export class InvalidArgumentError extends CommandError {
  override name = 'InvalidArgumentError';
}

/** A line could not be parsed as a command (e.g. an unbalanced quote). */
export class ParseError extends CommandError {
  override name = 'ParseError';
}

export class UnknownToolError extends CommandError {
  override name = 'UnknownToolError';
  constructor(tool: string) {
    super(`remote call not allowed: ${tool}`);
  }
}

export class UnknownCommandError extends CommandError {
  override name = 'UnknownCommandError';
  constructor(command: string) {
    super(`unknown command: ${command}`);
  }
}

export class LineTooLongError extends CommandError {
  override name = 'LineTooLongError';
  constructor() {
    super('line too long');
  }
}

/** The worker pool's queue is full; the client may retry later. */
export class ServerBusyError extends CommandError {
  override name = 'ServerBusyError';
  constructor() {
    super('server busy');
  }
}

/** A resource (a camera) is held by another command. */
export class ResourceBusyError extends CommandError {
  override name = 'ResourceBusyError';
}

export class ExposureInProgressError extends ResourceBusyError {
  override name = 'ExposureInProgressError';
  constructor() {
    super('exposure in progress');
  }
}

export class AbortedError extends CommandError {
  override name = 'AbortedError';
  constructor(what = 'exposure') {
    super(`${what} aborted`);
  }
}

/** A command is not permitted for this client or this server's configuration. */
export class PermissionError extends CommandError {
  override name = 'PermissionError';
}

export class AccessDeniedError extends PermissionError {
  override name = 'AccessDeniedError';
  constructor() {
    super('access denied');
  }
}

/** The server is shutting down and accepts no new work. */
export class ShuttingDownError extends CommandError {
  override name = 'ShuttingDownError';
  constructor() {
    super('server shutting down');
  }
}

/** Readout processing failed (in a worker, or writing the image). */
export class ReadoutError extends CommandError {
  override name = 'ReadoutError';
}

/** Bad server configuration (command line or config file); the CLI exits with code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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
}

/** The connection closed (or failed) before a command's reply arrived. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
}

/** The next image's file exists and `imageoverwrite` is off. */
export class ImageExistsError extends CommandError {
  override name = 'ImageExistsError';
  constructor(path: string) {
    super(`image file already exists: ${path}`);
  }
}

/** A command that does not apply in the current state (e.g. `exposure.resume` when not paused). */
export class InvalidStateError extends CommandError {
  override name = 'InvalidStateError';
}
