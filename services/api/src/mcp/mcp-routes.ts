import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireUser } from '@todo/platform/http/authentication';
import type { HttpServer } from '@todo/platform/http/server';
import type { TaskService } from '../tasks/task-service.js';
import { createMcpServer } from './server.js';

export interface McpRoutesOptions {
  tasks: TaskService;
}

/**
 * `/mcp`: the MCP server over Streamable HTTP, stateless (no session id), so a client's requests may
 * land on any replica. Callers authenticate with `Authorization: Bearer` and either a session JWT or
 * a personal access token (`tdc_…`, made at `POST /api/tokens`).
 */
export async function mcpRoutes(app: HttpServer, { tasks }: McpRoutesOptions) {
  await app.register(async (scope: HttpServer) => {
    requireUser(scope);
    scope.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
      const server = createMcpServer(tasks, request.actor);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    });
  });

  // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply
          .status(405)
          .header('allow', 'POST')
          .send({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Method not allowed: this MCP server is stateless, use POST' },
            id: null,
          }),
    });
  }
}
