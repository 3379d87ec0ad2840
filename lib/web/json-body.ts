import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Request bodies: JSON (`application/json`, Fastify's own parser), and a JSON object labelled as a
 * form from a client that sends no `Origin`.
 *
 * azcam documents `curl -X POST http://localhost:2403/api -d "@json.txt"`, and curl's `-d` labels
 * the JSON a form (`application/x-www-form-urlencoded`). A browser's form can post that type to
 * another site without a CORS preflight, but it percent-encodes a field's `{` and `"`, so its body
 * is never a JSON object; text/plain (which a form may send as written) and multipart get 415. A
 * request with an `Origin` (every modern browser's POST) must say `application/json`, which a
 * cross-site page can send only after a preflight, never granted.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  // Fastify's JSON parser, with its guard against `__proto__` and `constructor` keys.
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (request.headers.origin !== undefined) return done(unsupported(request));
    json(request, body as string, (error, value) => {
      if (error) done(error);
      else if (isJsonObject(value)) done(null, value);
      else done(unsupported(request));
    });
  });
}

function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unsupported(request: FastifyRequest): Error {
  const type = request.headers['content-type'] ?? 'none';
  return Object.assign(new Error(`Unsupported Media Type: ${type} (send application/json)`), { statusCode: 415 });
}
