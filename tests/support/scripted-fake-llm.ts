/**
 * A SCRIPTED FAKE LLM: a tiny OpenAI-compatible /chat/completions server whose answers are written by
 * the test (no real model can run here). It records every request, so a test sees what the agent
 * loop sent.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class ScriptedFakeLlm {
  readonly requests: { headers: IncomingMessage['headers']; body: any }[] = [];
  private script: ((body: any) => { status: number; body: unknown } | 'hang')[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text);
      this.requests.push({ headers: request.headers, body });
      const next = this.script.shift();
      const answer = next ? next(body) : { status: 500, body: { error: { message: 'script exhausted' } } };
      if (answer === 'hang') return; // never answers: the agent's time-out must fire
      response
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = (this.server as Server).address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** The next answers, in order. */
  will(...steps: ((body: any) => { status: number; body: unknown } | 'hang')[]) {
    this.script.push(...steps);
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A chat.completion answer carrying `message`. */
export const completion = (message: Record<string, unknown>) => ({
  status: 200,
  body: {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message, finish_reason: 'stop' }],
  },
});
