import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { unauthorized } from '@todo/platform/http/errors';
import type { HttpServer } from '@todo/platform/http/server';
import { ACCESS_TOKEN_PREFIX, type AccessTokenService } from '../auth/access-tokens.js';
import type { TokenIssuer } from '../auth/tokens.js';
import type { UserService } from '../auth/users.js';
import type { Actor, TaskService } from '../tasks/task-service.js';
import { createMcpServer } from './server.js';

export interface McpRoutesOptions {
  tasks: TaskService;
  tokens: TokenIssuer;
  accessTokens: AccessTokenService;
  users: UserService;
}

/**
 * `/mcp`: the MCP server over Streamable HTTP, stateless (no session id), so a client's requests may
 * land on any replica. Callers authenticate with `Authorization: Bearer` and either a session JWT or
 * a personal access token (`tdc_…`, made at `POST /api/tokens`).
 */
export async function mcpRoutes(app: HttpServer, { tasks, tokens, accessTokens, users }: McpRoutesOptions) {
  const authenticate = async (authorization: string | undefined, correlationId: string): Promise<Actor> => {
    const token = authorization && /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw unauthorized();
    const userId = token.startsWith(ACCESS_TOKEN_PREFIX)
      ? await accessTokens.verify(token)
      : await tokens.verify(token);
    const user = await users.get(userId).catch(() => {
      throw unauthorized('account no longer exists');
    });
    return { userId: user.id, timeZone: user.timezone, correlationId };
  };

  app.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
    const actor = await authenticate(request.headers.authorization, request.id);
    const server = createMcpServer(tasks, actor);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
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
