import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { HttpServer } from '@todo/platform/http/server';

/**
 * Serves the built single-page app (web/dist) at `/`, with unknown non-API paths falling back to
 * index.html so client-side routes survive a reload. Without a build, `/` says how to make one.
 */
export async function webApp(app: HttpServer, { distDir }: { distDir: string }) {
  if (!existsSync(`${distDir}/index.html`)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain')
        .send('Todo Chatbot API is running. Build the web app with `npm run build -w web`.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: distDir, wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = /^\/(api|mcp|ws|healthz|readyz|metrics)(\/|$)/.test(path);
    if (isApi || /\.[a-z0-9]+$/i.test(path)) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `no route ${request.method} ${path}` } });
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
