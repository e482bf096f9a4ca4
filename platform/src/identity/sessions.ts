import type { Transaction } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { newSecretToken, secretTokenHash } from './secret-token.js';
import { durationMs, type TokenIssuer } from './session-tokens.js';

/** Long enough to open a socket right after asking; short enough that a leaked URL is useless. */
const TICKET_TTL_MS = 30_000;

/**
 * Sign-in sessions, one row each. Every request with a session token reads its row (a primary-key
 * lookup), which is what makes logout and a password change take effect at once, in every service
 * and replica, without short-lived tokens and refresh round trips in every client.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokenIssuer,
  ) {}

  /** Opens a session and returns its token. */
  async open(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const id = crypto.randomUUID();
    const now = Date.now();
    const expiresAt = new Date(now + durationMs(this.tokens.ttl));
    // The user's ended sessions go as a new one begins, so the table holds about the live ones.
    await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('expires_at', '<', new Date(now)), eb('revoked_at', 'is not', null)]))
      .execute();
    await this.db.insertInto('sessions').values({ id, user_id: userId, expires_at: expiresAt }).execute();
    return { token: await this.tokens.issue(userId, id, expiresAt), expiresAt };
  }

  async isLive(sessionId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return row !== undefined;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** A ticket for one WebSocket upgrade of the session, valid for TICKET_TTL_MS. */
  async issueTicket(sessionId: string): Promise<string> {
    const ticket = newSecretToken();
    // Tickets live seconds: the expired ones (a handful) go before each new one.
    await this.db.deleteFrom('ws_tickets').where('expires_at', '<', new Date()).execute();
    await this.db
      .insertInto('ws_tickets')
      .values({
        ticket_hash: secretTokenHash(ticket),
        session_id: sessionId,
        expires_at: new Date(Date.now() + TICKET_TTL_MS),
      })
      .execute();
    return ticket;
  }

  /** The user and session of a ticket, which is used up by this call; undefined if there is none. */
  async redeemTicket(ticket: string): Promise<{ userId: string; sessionId: string } | undefined> {
    const row = await this.db
      .deleteFrom('ws_tickets')
      .where('ticket_hash', '=', secretTokenHash(ticket))
      .where('expires_at', '>', new Date())
      .returning('session_id')
      .executeTakeFirst();
    if (!row) return undefined;
    const session = await this.db
      .selectFrom('sessions')
      .select('user_id')
      .where('id', '=', row.session_id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return session ? { userId: session.user_id, sessionId: row.session_id } : undefined;
  }

  /** Ends every session of the user but `keep` (the one that changed the password). */
  async revokeOthers(userId: string, keep: string, trx: Db | Transaction<Database> = this.db): Promise<void> {
    await trx
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', userId)
      .where('id', '!=', keep)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
