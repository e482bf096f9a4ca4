import rateLimit from '@fastify/rate-limit';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { readOnlyRefusal, requireUser } from '@todo/platform/http/authentication';
import type { HttpServer } from '@todo/platform/http/server';
import { TOOL_LIST } from '../assistant/tools.js';
import type { TaskService } from '../tasks/task-service.js';
import { createMcpServer } from './server.js';

export interface McpRoutesOptions {
  tasks: TaskService;
  /** Requests per account per minute (a batch counts once). */
  rateLimitPerMinute: number;
}

/**
 * JSON-RPC messages in one POST: a batch runs its calls one after another in one request, so
 * its size bounds the work and (with the tool results' own bound) the answer of one request.
 */
export const MCP_MAX_BATCH = 10;

const jsonRpcError = (message: string) => ({ jsonrpc: '2.0', error: { code: -32600, message }, id: null });

/**
 * `/mcp`: the MCP server over Streamable HTTP, stateless (no session id), so a client's requests may
 * land on any replica. Callers authenticate with `Authorization: Bearer` and either a session JWT or
 * a personal access token (`tdc_…`, made at `POST /api/tokens`).
 */
export async function mcpRoutes(app: HttpServer, { tasks, rateLimitPerMinute }: McpRoutesOptions) {
  await app.register(async (scope: HttpServer) => {
    requireUser(scope);
    // preHandler: the caller is known by then, so the limit is per account, whichever of its
    // tokens it uses.
    await scope.register(rateLimit, { global: false, hook: 'preHandler' });
    const rateLimitConfig = {
      max: rateLimitPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: { actor: { userId: string } }) => `mcp:${request.actor.userId}`,
    };
    scope.post(
      '/mcp',
      { schema: { hide: true }, config: { readOnlyChecked: true, rateLimit: rateLimitConfig } },
      async (request, reply) => {
        if (Array.isArray(request.body) && request.body.length > MCP_MAX_BATCH) {
          return reply
            .status(400)
            .send(
              jsonRpcError(
                `body: a batch holds at most ${MCP_MAX_BATCH} messages (this one has ${request.body.length})`,
              ),
            );
        }
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
