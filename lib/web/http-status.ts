import type { ErrorCode } from '../errors.js';

/**
 * The HTTP status of an ERROR reply, by the error's code: 4xx when the request or the camera's
 * state was the cause, 5xx when the server was. Any other code, or none (a bug), is a 500.
 */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  AZ_COMMAND_FAILED: 400,
  AZ_INVALID_ARGUMENT: 400,
  AZ_PARSE_ERROR: 400,
  AZ_LINE_TOO_LONG: 400,
  AZ_PERMISSION_DENIED: 403,
  AZ_ACCESS_DENIED: 403,
  AZ_UNKNOWN_TOOL: 404,
  AZ_UNKNOWN_COMMAND: 404,
  AZ_METHOD_NOT_ALLOWED: 405,
  AZ_RESOURCE_BUSY: 409,
  AZ_EXPOSURE_IN_PROGRESS: 409,
  AZ_ABORTED: 409,
  AZ_IMAGE_EXISTS: 409,
  AZ_INVALID_STATE: 409,
  AZ_READOUT_FAILED: 500,
  AZ_IMAGE_NOT_DURABLE: 500,
  AZ_PARAMETERS_NOT_SAVED: 500,
  AZ_SERVER_BUSY: 503,
  AZ_SHUTTING_DOWN: 503,
};

export function httpStatusOf(error: unknown): number {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return (typeof code === 'string' && STATUS_BY_CODE[code as ErrorCode]) || 500;
}
