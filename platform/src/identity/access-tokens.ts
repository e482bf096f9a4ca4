import type { Db } from '../db/connect.js';
import { unauthorized } from '../http/errors.js';
import { secretTokenHash } from './secret-token.js';

/** Recognisable in logs and secret scanners, and never mistaken for a JWT. */
export const ACCESS_TOKEN_PREFIX = 'tdc_';

/** The owner and scope of a live personal access token; 401 for an unknown, revoked or expired one. */
export async function verifyAccessToken(
  db: Db,
  token: string,
): Promise<{ userId: string; tokenId: string; readOnly: boolean }> {
  const now = new Date();
  const row = await db
    .updateTable('access_tokens')
    .set({ last_used_at: now })
    .where('token_hash', '=', secretTokenHash(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'user_id', 'read_only'])
    .executeTakeFirst();
  if (!row) throw unauthorized('unknown, revoked or expired access token');
  return { userId: row.user_id, tokenId: row.id, readOnly: row.read_only };
}
