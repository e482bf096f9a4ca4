import { createHash, randomBytes } from 'node:crypto';
import { FieldError } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import { notFound, unauthorized } from '@todo/platform/http/errors';

/** Recognisable in logs and secret scanners, and never mistaken for a JWT. */
export const ACCESS_TOKEN_PREFIX = 'tdc_';

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

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Personal access tokens for programs (MCP clients) that cannot log in: long-lived, revocable one
 * by one. A token has 256 random bits, so a plain SHA-256 is enough to store it (no slow hash needed).
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
      .values({ id: crypto.randomUUID(), user_id: userId, name: trimmed, token_hash: sha256(token) })
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

  /** The user id of a live token; 401 for an unknown or revoked one. */
  async verify(token: string): Promise<string> {
    const row = await this.db
      .updateTable('access_tokens')
      .set({ last_used_at: new Date() })
      .where('token_hash', '=', sha256(token))
      .where('revoked_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    if (!row) throw unauthorized('unknown or revoked access token');
    return row.user_id;
  }
}

const toAccessToken = (row: {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}): AccessToken => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at });
