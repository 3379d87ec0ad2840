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
  /** A string the command returned; else the reply as azcam's console reads it: null, a string, a list of strings, or the status object. */
  data: unknown;
  /** The reply line exactly as the command socket sends it. */
  reply: string;
}

export interface ApiAnswer {
  statusCode: number;
  body: ApiBody;
}

export function apiAnswer(command: string, { reply, status, error, value }: Pick<CommandOutcome, 'reply' | 'status' | 'error' | 'value'>): ApiAnswer {
  if (status === 'OK') return { statusCode: 200, body: { message: 'Finished', command, data: stringData(value, reply) ?? replyData(reply), reply } };
  return { statusCode: status === 'ERROR' ? httpStatusOf(error) : 200, body: notFinishedBody(reply, command) };
}

/** The body for an ERROR or WARNING reply line: its message readable (unquoted), no data. */
export function notFinishedBody(reply: string, command: string): ApiBody {
  return { message: readableReply(reply), command, data: null, reply };
}

/**
 * A string a command returned, as azcam's web API gives it (`"bias frame"`, where the console
 * splits the reply line `OK bias frame` into two words); undefined for any other value, and for a
 * string that is itself a reply line (`echo`'s).
 */
function stringData(value: unknown, reply: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || reply === value.trimEnd()) return undefined;
  return value;
}

/** The reply as azcam's console reads it: null, a string, a list of words, or the JSON object. */
export function replyData(reply: string): unknown {
  return parseReply(reply) ?? null;
}
