import { FieldError } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import { notFound } from '@todo/platform/http/errors';
import { ACCESS_TOKEN_PREFIX } from '@todo/platform/identity/access-tokens';
import { newSecretToken, secretTokenHash } from '@todo/platform/identity/secret-token';

export interface AccessToken {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  readOnly: boolean;
}

/** What a new token may do and for how long. */
export interface AccessTokenGrant {
  expiresInDays: number;
  readOnly: boolean;
}

export const toAccessTokenJson = (token: AccessToken) => ({
  id: token.id,
  name: token.name,
  created_at: token.createdAt.toISOString(),
  last_used_at: token.lastUsedAt?.toISOString() ?? null,
  expires_at: token.expiresAt.toISOString(),
  read_only: token.readOnly,
});

/**
 * Personal access tokens for programs (MCP clients, scripts) that cannot log in: each with an
 * expiry and optionally read-only, revocable one by one. Verifying them is the platform's (`verifyAccessToken`), since every service accepts them.
 */
export class AccessTokenService {
  constructor(private readonly db: Db) {}

  /** Creates a token; the secret is returned this once and never stored. */
  async create(
    userId: string,
    name: string,
    grant: AccessTokenGrant,
  ): Promise<AccessToken & { token: string }> {
    const trimmed = name.trim();
    if (!trimmed) throw new FieldError('name', 'must not be empty');
    const token = `${ACCESS_TOKEN_PREFIX}${newSecretToken()}`;
    const row = await this.db
      .insertInto('access_tokens')
      .values({
        id: crypto.randomUUID(),
        user_id: userId,
        name: trimmed,
        token_hash: secretTokenHash(token),
        expires_at: new Date(Date.now() + grant.expiresInDays * 86_400_000),
        read_only: grant.readOnly,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return { ...toAccessToken(row), token };
  }

  async list(userId: string): Promise<AccessToken[]> {
    const rows = await this.db
      .selectFrom('access_tokens')
      .select(COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
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

const COLUMNS = ['id', 'name', 'created_at', 'last_used_at', 'expires_at', 'read_only'] as const;

const toAccessToken = (row: {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date;
  read_only: boolean;
}): AccessToken => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  readOnly: row.read_only,
});
