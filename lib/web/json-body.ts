import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Request bodies: JSON, under any content type from a client that sends no `Origin`.
 *
 * azcam documents `curl -X POST http://localhost:2403/api -d "@json.txt"`, and curl's `-d` labels
 * the JSON a form (`application/x-www-form-urlencoded`). A browser, though, sends an `Origin` with
 * every POST, and a page may post text/plain or a form to another site without a CORS preflight;
 * so a request with an `Origin` must still say `application/json` (which a cross-site page can
 * send only after a preflight, never granted), and gets 415 otherwise.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const object = request.headers.origin === undefined ? jsonObject(body as string) : undefined;
    if (object) done(null, object);
    else done(unsupported(request));
  });
}

function jsonObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function unsupported(request: FastifyRequest): Error {
  const type = request.headers['content-type'] ?? 'none';
  return Object.assign(new Error(`Unsupported Media Type: ${type} (send application/json)`), { statusCode: 415 });
}
