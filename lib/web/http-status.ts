import {
  AbortedError,
  CommandError,
  ImageExistsError,
  InvalidArgumentError,
  InvalidStateError,
  MethodNotAllowedError,
  ParseError,
  PermissionError,
  ReadoutError,
  ResourceBusyError,
  ServerBusyError,
  ShuttingDownError,
  UnknownCommandError,
  UnknownToolError,
} from '../errors.js';

/** The HTTP status of an ERROR reply, by the class of what the command threw; first match wins. */
const STATUS_BY_ERROR: readonly [new (...args: never[]) => Error, number][] = [
  [UnknownToolError, 404],
  [UnknownCommandError, 404],
  [InvalidArgumentError, 400],
  [ParseError, 400],
  [PermissionError, 403],
  [MethodNotAllowedError, 405],
  [ResourceBusyError, 409],
  [ImageExistsError, 409],
  [InvalidStateError, 409],
  [AbortedError, 409],
  [ServerBusyError, 503],
  [ShuttingDownError, 503],
  [ReadoutError, 500],
  [CommandError, 400],
];

/** The status of an ERROR reply: 4xx when the request or the camera's state was the cause, 5xx when the server was. */
export function httpStatusOf(error: unknown): number {
  return STATUS_BY_ERROR.find(([ErrorClass]) => error instanceof ErrorClass)?.[1] ?? 500;
}
