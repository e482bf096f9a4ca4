import type { PendingState } from '@todo/domain';
import type { Actor } from '../tasks/task-service.js';
import type { ChatAction, ChatMessage } from './conversations.js';

/** One user message with what the engine may need of its conversation. */
export interface ChatTurn {
  actor: Actor;
  message: string;
  /** The built-in engine's state from the previous turn (a question, how to undo); null at first. */
  pending: PendingState | null;
  /** The conversation so far, loaded only by an engine that reads it (the LLM agent). */
  history(): Promise<ChatMessage[]>;
}

/** An engine's answer to a turn; the chat service stores it with the message. */
export interface EngineTurn {
  reply: string;
  /** The tool calls made, in order, even when the turn ended in an error. */
  actions: ChatAction[];
  pending: PendingState | null;
  /** What the engine understood (the built-in engine's command kind); null when it does not say. */
  intent: string | null;
}

/**
 * What answers the chat: the built-in language engine, or the LLM agent when a model is
 * configured. Both act through a ToolExecutor (tools.ts), the same write path as REST and MCP.
 */
export interface ChatEngine {
  respond(turn: ChatTurn): Promise<EngineTurn>;
}
