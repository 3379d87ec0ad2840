import { formatError } from '../protocol/reply.js';
import { notFinishedBody, type ApiBody } from './api-reply.js';

/** The body of a request refused before any command ran (access, method, malformed JSON, no such route). */
export function errorBody(error: unknown, command = ''): ApiBody {
  return notFinishedBody(formatError(error), command);
}
