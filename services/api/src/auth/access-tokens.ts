import { randomBytes } from 'node:crypto';
import { FieldError } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import { notFound } from '@todo/platform/http/errors';
import { ACCESS_TOKEN_PREFIX, accessTokenHash } from '@todo/platform/identity/access-tokens';

export interface AccessToken {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const toAccessTokenJson = (token: AccessToken) => ({
  id: token.id,
  name: token.name,
  created_at: token.createdAt.toISOString(),
  last_used_at: token.lastUsedAt?.toISOString() ?? null,
});

/**
 * Personal access tokens for programs (MCP clients) that cannot log in: long-lived, revocable one
 * by one. Verifying them is the platform's (`verifyAccessToken`), since every service accepts them.
 */
export class AccessTokenService {
  constructor(private readonly db: Db) {}

  /** Creates a token; the secret is returned this once and never stored. */
  async create(userId: string, name: string): Promise<AccessToken & { token: string }> {
    const trimmed = name.trim();
    if (!trimmed) throw new FieldError('name', 'must not be empty');
    const token = `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.db
      .insertInto('access_tokens')
      .values({ id: crypto.randomUUID(), user_id: userId, name: trimmed, token_hash: accessTokenHash(token) })
      .returning(['id', 'name', 'created_at', 'last_used_at'])
      .executeTakeFirstOrThrow();
    return { ...toAccessToken(row), token };
  }

  async list(userId: string): Promise<AccessToken[]> {
    const rows = await this.db
      .selectFrom('access_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toAccessToken);
  }

  async revoke(userId: string, id: string): Promise<void> {
    const row = await this.db
      .updateTable('access_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('access token');
  }
}

const toAccessToken = (row: {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}): AccessToken => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at });
