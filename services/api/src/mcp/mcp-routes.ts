import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { readOnlyRefusal, requireUser } from '@todo/platform/http/authentication';
import type { HttpServer } from '@todo/platform/http/server';
import { TOOL_LIST } from '../assistant/tools.js';
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
    scope.post(
      '/mcp',
      { schema: { hide: true }, config: { readOnlyChecked: true } },
      async (request, reply) => {
        const { credential } = request.actor;
        if (credential.kind === 'access-token' && credential.readOnly && callsWritingTool(request.body)) {
          throw readOnlyRefusal();
        }
        const server = createMcpServer(tasks, request.actor);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        reply.hijack();
        reply.raw.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(request.raw, reply.raw, request.body);
      },
    );
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

const READ_ONLY_TOOLS = new Set<string>(TOOL_LIST.filter((tool) => tool.readOnly).map((tool) => tool.name));

/** Whether a JSON-RPC message or batch calls a tool that changes tasks. */
function callsWritingTool(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    return method === 'tools/call' && !READ_ONLY_TOOLS.has(String(params?.name));
  });
}
