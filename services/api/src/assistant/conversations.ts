import { NotFoundError, type PendingState } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';

/** One tool call of an assistant turn, as the chat endpoint reports it. */
export interface ChatAction {
  tool: string;
  input: unknown;
  result: unknown;
}

export interface Conversation {
  id: string;
  title: string;
  pending: PendingState | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  actions: ChatAction[];
  createdAt: Date;
}

const TITLE_LENGTH = 80;

/**
 * Conversations and their messages, always scoped to their owner: another user's conversation is
 * "not found". Everything a turn needs is here, so the server holds no memory between requests.
 */
export class ConversationStore {
  constructor(private readonly db: Db) {}

  async create(
    userId: string,
    firstMessage: string,
    pending: PendingState | null = null,
  ): Promise<Conversation> {
    const title = firstMessage.trim().replace(/\s+/g, ' ').slice(0, TITLE_LENGTH) || 'Conversation';
    const row = await this.db
      .insertInto('conversations')
      .values({ id: crypto.randomUUID(), user_id: userId, title, pending: JSON.stringify(pending) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toConversation(row);
  }

  async get(userId: string, id: string): Promise<Conversation> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('conversation');
    return toConversation(row);
  }

  /** Most recently active first, keyset-paginated by (updated_at, id). */
  async list(userId: string, limit: number, cursor?: { updatedAt: Date; id: string }) {
    let query = this.db
      .selectFrom('conversations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (cursor) {
      query = query.where((eb) =>
        eb.or([
          eb('updated_at', '<', cursor.updatedAt),
          eb.and([eb('updated_at', '=', cursor.updatedAt), eb('id', '<', cursor.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    return { items: rows.slice(0, limit).map(toConversation), more: rows.length > limit };
  }

  async messages(conversationId: string): Promise<ChatMessage[]> {
    const rows = await this.db
      .selectFrom('chat_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('role', 'desc') // a user message and its answer share a timestamp: the question first
      .execute();
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      content: row.content,
      actions: row.actions as ChatAction[],
      createdAt: row.created_at,
    }));
  }

  /** Appends one turn (the user's message and the answer) and stores the engine's state for the next. */
  async appendTurn(
    conversationId: string,
    turn: { message: string; reply: string; actions: ChatAction[]; pending: PendingState | null },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const at = new Date();
      await trx
        .insertInto('chat_messages')
        .values([
          {
            id: crypto.randomUUID(),
            conversation_id: conversationId,
            role: 'user',
            content: turn.message,
            actions: '[]',
            created_at: at,
          },
          {
            id: crypto.randomUUID(),
            conversation_id: conversationId,
            role: 'assistant',
            content: turn.reply,
            actions: JSON.stringify(turn.actions),
            created_at: at,
          },
        ])
        .execute();
      await trx
        .updateTable('conversations')
        .set({ pending: JSON.stringify(turn.pending), updated_at: at })
        .where('id', '=', conversationId)
        .execute();
    });
  }

  async remove(userId: string, id: string): Promise<void> {
    const row = await this.db
      .deleteFrom('conversations')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new NotFoundError('conversation');
  }
}

const toConversation = (row: {
  id: string;
  title: string;
  pending: unknown;
  created_at: Date;
  updated_at: Date;
}): Conversation => ({
  id: row.id,
  title: row.title,
  pending: (row.pending as PendingState | null) ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
