import type { Db } from '@todo/platform/db/connect';
import { conflict, HttpError, notFound } from '@todo/platform/http/errors';
import { newSecretToken, secretTokenHash } from '@todo/platform/identity/secret-token';
import type { User, UserDirectory } from '@todo/platform/identity/user-directory';
import { sql } from 'kysely';
import type { Mailer } from './mailer.js';
import { escapeHtml } from './reminder-message.js';

/** A link works this long after it was sent. */
export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface EmailVerificationOptions {
  db: Db;
  users: UserDirectory;
  /** Absent when no SMTP server is configured: nothing can be verified then. */
  mailer?: Mailer | undefined;
  /** Verification mails one account may cause per hour, counted in the database (every replica). */
  perHour: number;
  clock?: () => Date;
}

export interface SentVerification {
  sentTo: string;
  expiresAt: Date;
}

const tokenError = (code: string, message: string) => new HttpError(400, code, `token: ${message}`, 'token');

/**
 * Proving an address: a mail with a single-use link that expires, then the link's use. The account
 * is verified for the address the link was sent to, and stays so only while that is its address.
 */
export class EmailVerification {
  private readonly clock: () => Date;

  constructor(private readonly options: EmailVerificationOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Sends a verification link for the user's current address. `linkBase` is where the app is
   * reached (PUBLIC_URL, else the request's own origin). 409 when there is no mail server or the
   * address is verified already; 429 past the hourly limit.
   */
  async send(userId: string, linkBase: string): Promise<SentVerification> {
    const { db, mailer, perHour } = this.options;
    if (!mailer) {
      throw conflict('email_unavailable', 'this server sends no e-mail (SMTP_URL is not set)');
    }
    const now = this.clock();
    const token = newSecretToken();
    const expiresAt = new Date(now.getTime() + VERIFICATION_TTL_MS);
    const email = await db.transaction().execute(async (trx) => {
      // The row lock orders concurrent requests of one account, so the count below is exact.
      const user = await trx
        .selectFrom('users')
        .select(['email', 'verified_email'])
        .where('id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!user) throw notFound('user');
      if (user.verified_email === user.email) {
        throw conflict('already_verified', `${user.email} is verified already`);
      }
      const recent = await trx
        .selectFrom('email_verifications')
        .select([sql<number>`count(*)::int`.as('count'), sql<Date>`min(created_at)`.as('oldest')])
        .where('user_id', '=', userId)
        .where('created_at', '>', new Date(now.getTime() - HOUR_MS))
        .executeTakeFirstOrThrow();
      if (recent.count >= perHour) {
        const retryAfter = Math.max(1, Math.ceil((recent.oldest.getTime() + HOUR_MS - now.getTime()) / 1000));
        throw new HttpError(
          429,
          'rate_limited',
          `at most ${perHour} verification e-mails an hour, retry in ${retryAfter} s`,
          undefined,
          { retry_after: retryAfter },
        );
      }
      await trx
        .insertInto('email_verifications')
        .values({
          token_hash: secretTokenHash(token),
          user_id: userId,
          email: user.email,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      return user.email;
    });
    const link = new URL('/api/verify-email', linkBase);
    link.searchParams.set('token', token);
    try {
      await mailer.send({ to: email, ...verificationText(email, link.href) });
    } catch (error) {
      throw new HttpError(
        502,
        'email_failed',
        `the mail server did not accept the message: ${(error as Error).message}`,
      );
    }
    return { sentTo: email, expiresAt };
  }

  /** Uses a link (once): the account's address is verified if it is still the one the link went to. */
  async verify(token: string): Promise<User> {
    const { db, users } = this.options;
    const now = this.clock();
    const tokenHash = secretTokenHash(token);
    const verified = await db.transaction().execute(async (trx) => {
      const used = await trx
        .updateTable('email_verifications')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['user_id', 'email'])
        .executeTakeFirst();
      if (!used) {
        const link = await trx
          .selectFrom('email_verifications')
          .select(['used_at'])
          .where('token_hash', '=', tokenHash)
          .executeTakeFirst();
        if (!link) throw tokenError('invalid_token', 'is not a verification link of this server');
        if (link.used_at) throw tokenError('token_used', 'this link was used already');
        throw tokenError('token_expired', 'this link has expired; ask for a new one');
      }
      users.forget(used.user_id);
      const user = await trx
        .updateTable('users')
        .set({ verified_email: used.email, updated_at: now })
        .where('id', '=', used.user_id)
        .where('email', '=', used.email)
        .returning('id')
        .executeTakeFirst();
      // The link is used up either way: it was for an address the account no longer has.
      if (!user) return null;
      return used.user_id;
    });
    if (!verified) {
      throw tokenError('email_changed', "the account's address changed since this link was sent");
    }
    users.forget(verified);
    return users.get(verified);
  }
}

function verificationText(email: string, link: string) {
  const text = [
    `Someone (hopefully you) asked to verify ${email} for Todo Chatbot reminder e-mails.`,
    '',
    `Open this link within 24 hours to confirm: ${link}`,
    '',
    'If it was not you, ignore this message: nothing is sent to this address until it is verified.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif">',
    `<p>Someone (hopefully you) asked to verify <strong>${escapeHtml(email)}</strong> for Todo Chatbot reminder e-mails.</p>`,
    `<p><a href="${escapeHtml(link)}">Verify this address</a> (the link works for 24 hours, once).</p>`,
    '<p>If it was not you, ignore this message: nothing is sent to this address until it is verified.</p>',
    '</body></html>',
  ].join('\n');
  return { subject: 'Verify your e-mail address for Todo Chatbot', text, html };
}
