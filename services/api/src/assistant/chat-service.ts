import { confirmedTaskIds, type PendingState } from '@todo/domain';
import type { Actor } from '../tasks/task-service.js';
import type { ChatEngine } from './chat-engine.js';
import type { ChatAction, ConversationStore } from './conversations.js';

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
 * One chat turn: load the conversation, let the engine answer and act, persist the turn with the
 * engine's state. Nothing stays in memory.
 */
export class ChatService {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly engine: ChatEngine,
  ) {}

  async send(actor: Actor, message: string, conversationId?: string): Promise<ChatAnswer> {
    const conversation = conversationId ? await this.conversations.get(actor.userId, conversationId) : null;
    const turn = await this.engine.respond({
      actor,
      message,
      pending: conversation?.pending ?? null,
      history: async () => (conversation ? this.conversations.messages(conversation.id) : []),
    });
    const id = conversation?.id ?? (await this.conversations.create(actor.userId, message)).id;
    await this.conversations.appendTurn(id, { message, ...turn });
    return {
      conversation_id: id,
      reply: turn.reply,
      actions: turn.actions,
      intent: turn.intent,
      awaiting: awaitingOf(turn.pending),
    };
  }
}

function awaitingOf(pending: PendingState | null): Awaiting | null {
  const awaiting = pending?.awaiting;
  if (!awaiting) return null;
  // "When?" is answered in words; there is nothing for a client to offer as buttons.
  if (awaiting.type === 'ask_when') return null;
  return awaiting.type === 'choose_task'
    ? { type: 'choose_task', candidates: awaiting.candidates.map(({ id, title }) => ({ id, title })) }
    : { type: 'confirm', task_ids: confirmedTaskIds(awaiting.action) };
}
