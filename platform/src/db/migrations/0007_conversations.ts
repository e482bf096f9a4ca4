import { type Kysely, sql } from 'kysely';

/**
 * The assistant's tables: chat conversations with their messages, and the personal access tokens
 * MCP clients authenticate with. `pending` is the language engine's state between turns (a question
 * awaiting an answer, how to undo the last action), kept here so any replica continues any conversation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table conversations (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      title text not null,
      pending jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index conversations_user_updated_idx on conversations (user_id, updated_at, id)`.execute(
    db,
  );
  await sql`
    create table chat_messages (
      id uuid primary key,
      conversation_id uuid not null references conversations (id) on delete cascade,
      role text not null check (role in ('user', 'assistant')),
      content text not null,
      actions jsonb not null default '[]',
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index chat_messages_conversation_idx on chat_messages (conversation_id, created_at)`.execute(
    db,
  );
  // Only a SHA-256 of each token is stored: a leaked table does not leak usable tokens.
  await sql`
    create table access_tokens (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index access_tokens_user_idx on access_tokens (user_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table access_tokens`.execute(db);
  await sql`drop table chat_messages`.execute(db);
  await sql`drop table conversations`.execute(db);
}
