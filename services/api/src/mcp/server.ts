import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_LIST, ToolExecutor } from '../assistant/tools.js';
import type { Actor, TaskService } from '../tasks/task-service.js';

/**
 * An MCP server for one authenticated caller: the assistant's tools, acting as `actor`. Built per
 * request (stateless Streamable HTTP), so any replica serves any client.
 */
export function createMcpServer(tasks: TaskService, actor: Actor): McpServer {
  const server = new McpServer(
    { name: 'todo-chatbot', version: '1.0.0' },
    { instructions: `Manage the user's tasks. The user's time zone is ${actor.timeZone}.` },
  );
  const tools = new ToolExecutor(tasks, actor);
  for (const definition of TOOL_LIST) {
    server.registerTool(
      definition.name,
      { title: definition.title, description: definition.description, inputSchema: definition.input },
      async (input): Promise<CallToolResult> => {
        const outcome = await tools.callByName(definition.name, input);
        if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: outcome.error.message }] };
        return {
          content: [{ type: 'text', text: JSON.stringify(outcome.result) }],
          structuredContent: outcome.result,
        };
      },
    );
  }
  return server;
}
