import rateLimit from '@fastify/rate-limit';
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
export async function mcpRoutes(
  app: HttpServer,
  { tasks, tokens, accessTokens, users, rateLimitPerMinute }: McpRoutesOptions,
) {
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

  app.decorateRequest('actor', null as unknown as Actor);
  // The caller is known before the rate limit runs (preHandler), so the limit is per account,
  // whichever of its tokens it uses.
  app.addHook('onRequest', async (request) => {
    request.actor = await authenticate(request.headers.authorization, request.id);
  });
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

  const rateLimitConfig = {
    rateLimit: {
      max: rateLimitPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: { actor: Actor }) => `mcp:${request.actor.userId}`,
    },
  };
  app.post('/mcp', { schema: { hide: true }, config: rateLimitConfig }, async (request, reply) => {
    if (Array.isArray(request.body) && request.body.length > MCP_MAX_BATCH) {
      return reply
        .status(400)
        .send(
          jsonRpcError(
            `body: a batch holds at most ${MCP_MAX_BATCH} messages (this one has ${request.body.length})`,
          ),
        );
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
