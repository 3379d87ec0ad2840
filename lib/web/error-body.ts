import { formatError, readableReply } from '../protocol/reply.js';
import type { ApiBody } from './api-reply.js';

/** The body of a request refused before any command ran (access, method, malformed JSON, no such route). */
export function errorBody(error: unknown, command = ''): ApiBody {
  const reply = formatError(error);
  return { message: readableReply(reply), command, data: null, reply };
}
