/**
 * LLM mode: an agent loop over an OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama,
 * vLLM, …). The model calls the same tools as MCP clients; the loop runs them as the user and feeds
 * the results back until the model answers in words. Plain `fetch`: the loop needs one endpoint,
 * and every compatible server speaks the same JSON, which a vendor SDK would only wrap.
 */
import type { Config } from '@todo/platform/config';
import * as z from 'zod';
import type { Actor, TaskService } from '../tasks/task-service.js';
import type { ChatEngine, ChatTurn, EngineTurn } from './chat-engine.js';
import type { ChatMessage } from './conversations.js';
import { TOOL_LIST, ToolExecutor } from './tools.js';

export interface LlmSettings {
  apiKey: string;
  /** e.g. "https://api.openai.com/v1" or "http://localhost:11434/v1" (Ollama). */
  baseUrl: string;
  model: string;
  /** Time-out of each call to the provider. */
  timeoutMs: number;
  /** Model calls per user message, so a confused model cannot loop (and spend) forever. */
  maxSteps: number;
}

/** The provider could not be used: unreachable, an error status, a time-out, or nonsense back. */
export class LlmUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(
      `The assistant's language model is unavailable right now (${reason}); try again, ` +
        'or unset OPENAI_API_KEY to use the built-in engine.',
    );
    this.name = 'LlmUnavailableError';
  }
}

type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
type Message =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

const TOOL_SPECS = TOOL_LIST.map((definition) => ({
  type: 'function' as const,
  function: {
    name: definition.name,
    description: definition.description,
    parameters: z.toJSONSchema(definition.input),
  },
}));

/** Earlier turns given to the model: enough for follow-ups ("move it to Friday"), bounded in cost. */
const HISTORY_MESSAGES = 20;

export class LlmAgent implements ChatEngine {
  constructor(
    private readonly tasks: TaskService,
    private readonly settings: LlmSettings,
    private readonly clock: () => Date,
  ) {}

  /**
   * A provider failure is answered (HTTP 200) with a reply that says so, and the turn keeps the
   * actions the model had already taken: they happened, so the user must see them.
   */
  async respond({ actor, message, history }: ChatTurn): Promise<EngineTurn> {
    const tools = new ToolExecutor(this.tasks, actor);
    const answer = (reply: string): EngineTurn => ({
      reply,
      actions: tools.actions,
      pending: null,
      intent: null,
    });
    try {
      return answer(await this.converse(actor, message, await history(), tools));
    } catch (error) {
      if (!(error instanceof LlmUnavailableError)) throw error;
      return answer(error.message);
    }
  }

  /** The agent loop: the model calls tools until it answers in words (or runs out of steps). */
  private async converse(
    actor: Actor,
    message: string,
    history: ChatMessage[],
    tools: ToolExecutor,
  ): Promise<string> {
    const messages: Message[] = [
      { role: 'system', content: systemPrompt(actor.timeZone, this.clock()) },
      ...history.slice(-HISTORY_MESSAGES).map((m) => ({ role: m.role, content: m.content })),
      { role: 'user', content: message },
    ];
    for (let step = 0; step < this.settings.maxSteps; step++) {
      const answer = await this.complete(messages);
      messages.push(answer);
      if (!answer.tool_calls?.length) return answer.content?.trim() || 'Done.';
      for (const call of answer.tool_calls) {
        const input = parseArguments(call.function.arguments);
        const outcome =
          input === undefined
            ? tools.refuse(
                call.function.name,
                call.function.arguments,
                'invalid_input',
                'arguments are not a JSON object',
              )
            : await tools.callByName(call.function.name, input);
        const result = outcome.ok ? outcome.result : { error: outcome.error };
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
    }
    return `I stopped after ${this.settings.maxSteps} steps without finishing; the actions listed were done. Please rephrase or split the request.`;
  }

  private async complete(messages: Message[]): Promise<Extract<Message, { role: 'assistant' }>> {
    const url = `${this.settings.baseUrl.replace(/\/$/, '')}/chat/completions`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.settings.apiKey}` },
        body: JSON.stringify({
          model: this.settings.model,
          messages,
          tools: TOOL_SPECS,
          tool_choice: 'auto',
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new LlmUnavailableError(
        timedOut ? `no answer within ${this.settings.timeoutMs / 1000} s` : `cannot reach ${url}`,
      );
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = (body as { error?: { message?: string } } | null)?.error?.message;
      throw new LlmUnavailableError(`HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    const message = (body as { choices?: { message?: Message }[] } | null)?.choices?.[0]?.message;
    if (message?.role !== 'assistant') throw new LlmUnavailableError('the answer has no assistant message');
    return message;
  }
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function systemPrompt(timeZone: string, now: Date): string {
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(now);
  return [
    "You are the assistant of a to-do app. You manage the user's tasks only through the tools.",
    `The user's time zone is ${timeZone}; it is now ${local} (${now.toISOString()} UTC).`,
    'Resolve dates and times the user mentions in that zone and pass them with their UTC offset.',
    'Before changing or deleting a task, find its id with list_tasks unless you already know it.',
    'If a request is ambiguous (several tasks match), ask which one instead of guessing.',
    'Answer briefly from the tool results; never claim a change the tools did not confirm.',
  ].join('\n');
}

/** LLM mode is on when an API key is configured (any non-empty value, for servers that ignore it). */
export function llmSettingsFrom(config: Config): LlmSettings | undefined {
  if (!config.OPENAI_API_KEY) return undefined;
  return {
    apiKey: config.OPENAI_API_KEY,
    baseUrl: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxSteps: 6,
  };
}
