import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The status page's files, served as they are in the source tree (plain HTML, CSS and JS: no
 * build step, nothing fetched from elsewhere, as lab networks are often offline). This module
 * runs from dist/lib/web/.
 */
export const PAGE_DIR = fileURLToPath(new URL('../../../lib/web/page/', import.meta.url));

export async function registerPageRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: PAGE_DIR, prefix: '/', index: 'index.html', cacheControl: false });
}
