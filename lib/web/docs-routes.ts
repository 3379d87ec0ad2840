import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ToolRegistry } from '../dispatch/registry.js';
import { openApiDocument } from './openapi.js';

/** `/docs`: the API reference (Swagger UI, its files served from here: no CDN); `/docs/json`: the OpenAPI document. */
export async function registerDocsRoutes(app: FastifyInstance, tools: ToolRegistry): Promise<void> {
  const document = openApiDocument(tools.describe()) as unknown as StaticDocumentSpec['document'];
  await app.register(fastifySwagger, { mode: 'static', specification: { document } });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
