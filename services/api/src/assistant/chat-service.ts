import type { PendingState } from '@todo/domain';
import type { Actor } from '../tasks/task-service.js';
import type { BuiltinEngine } from './builtin-engine.js';
import type { ChatAction, ConversationStore } from './conversations.js';
import { type LlmAgent, LlmUnavailableError } from './llm-agent.js';

/** A question the assistant is waiting on, so a client can offer the choices as buttons. */
export type Awaiting =
  | { type: 'choose_task'; candidates: { id: string; title: string }[] }
  | { type: 'confirm'; task_ids: string[] };

export interface ChatAnswer {
  conversation_id: string;
  reply: string;
  actions: ChatAction[];
  /** The built-in engine's reading of the message (add_task, list_tasks, …, clarify, help); null in LLM mode. */
  intent: string | null;
  awaiting: Awaiting | null;
}

/**
 * One chat turn: load the conversation, let the engine (LLM agent when configured, built-in
 * otherwise) answer and act, persist the turn with the engine's state. Nothing stays in memory.
 */
export class ChatService {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly engine: BuiltinEngine,
    private readonly llm: LlmAgent | null,
  ) {}

  async send(actor: Actor, message: string, conversationId?: string): Promise<ChatAnswer> {
    const conversation = conversationId ? await this.conversations.get(actor.userId, conversationId) : null;
    const turn = this.llm
      ? await this.llmTurn(actor, message, conversationId)
      : await this.engine.respond(actor, message, conversation?.pending ?? null);
    const id = conversation?.id ?? (await this.conversations.create(actor.userId, message)).id;
    await this.conversations.appendTurn(id, { message, ...turn });
    return {
      conversation_id: id,
      reply: turn.reply,
      actions: turn.actions,
      intent: 'intent' in turn ? turn.intent : null,
      awaiting: awaitingOf(turn.pending),
    };
  }

  /**
   * A provider failure is answered (HTTP 200) with a reply that says so, and the turn is kept with
   * the actions the model had already taken: they happened, so the user must see them.
   */
  private async llmTurn(actor: Actor, message: string, conversationId: string | undefined) {
    const llm = this.llm as LlmAgent;
    const history = conversationId ? await this.conversations.messages(conversationId) : [];
    const actions: ChatAction[] = [];
    try {
      const reply = await llm.respond(actor, message, history, actions);
      return { reply, actions, pending: null };
    } catch (error) {
      if (!(error instanceof LlmUnavailableError)) throw error;
      return { reply: error.message, actions, pending: null };
    }
  }
}

function awaitingOf(pending: PendingState | null): Awaiting | null {
  const awaiting = pending?.awaiting;
  if (!awaiting) return null;
  return awaiting.type === 'choose_task'
    ? { type: 'choose_task', candidates: awaiting.candidates.map(({ id, title }) => ({ id, title })) }
    : { type: 'confirm', task_ids: awaiting.action.taskIds };
}
