/**
 * The web API's answer to one command, in azcam's shape (`{"message": "Finished", "command": ...,
 * "data": ...}`), made from the very reply line a socket client gets for it.
 */
import { parseReply } from '../client.js';
import type { CommandOutcome } from '../dispatch/dispatcher.js';
import { readableReply } from '../protocol/reply.js';
import { httpStatusOf } from './http-status.js';

export interface ApiBody {
  /** `Finished` (azcam's word) for an OK; the ERROR or WARNING line itself otherwise. */
  message: string;
  /** `tool.command` as called. */
  command: string;
  /** The reply as azcam's console reads it: null, a string, a list of strings, or the status object. */
  data: unknown;
  /** The reply line exactly as the command socket sends it. */
  reply: string;
}

export interface ApiAnswer {
  statusCode: number;
  body: ApiBody;
}

export function apiAnswer(command: string, { reply, status, error }: Pick<CommandOutcome, 'reply' | 'status' | 'error'>): ApiAnswer {
  if (status === 'OK') return { statusCode: 200, body: { message: 'Finished', command, data: replyData(reply), reply } };
  return { statusCode: status === 'ERROR' ? httpStatusOf(error) : 200, body: notFinishedBody(reply, command) };
}

/** The body for an ERROR or WARNING reply line: its message readable (unquoted), no data. */
export function notFinishedBody(reply: string, command: string): ApiBody {
  return { message: readableReply(reply), command, data: null, reply };
}

/** The reply as azcam's console reads it: null, a string, a list of words, or the JSON object. */
export function replyData(reply: string): unknown {
  return parseReply(reply) ?? null;
}
