import type { ApiClient } from './client.js';
import { eventually } from './eventually.js';

/** A received message, as each test's SMTP server reports it. */
export interface MailText {
  to: string[];
  subject: string;
  text: string;
}

/** The subject of verification e-mails (services/notification/src/email-verification.ts). */
export const VERIFICATION_SUBJECT = 'Verify your e-mail address for Todo Chatbot';

/** The link of the newest verification e-mail to `email`, once it has arrived. */
export async function verificationLink(email: string, received: () => Promise<MailText[]>): Promise<URL> {
  const text = await eventually(async () => {
    const mails = (await received()).filter(
      (mail) => mail.to.includes(email) && mail.subject === VERIFICATION_SUBJECT,
    );
    const newest = mails.at(-1);
    if (!newest) throw new Error(`no verification e-mail to ${email} yet`);
    return newest.text;
  });
  const start = text.indexOf('http');
  if (start < 0) throw new Error(`no link in the verification e-mail: ${text}`);
  return new URL(text.slice(start).split(/\s/, 1)[0] as string);
}

/**
 * Verifies the client's address as its owner would: asks for the e-mail, takes the link from the
 * message the SMTP server received and opens it (on the client's server, whatever host it names).
 */
export async function verifyAddress(
  client: ApiClient,
  email: string,
  received: () => Promise<MailText[]>,
): Promise<void> {
  const sent = await client.post('/api/me/verify-email');
  if (sent.status !== 202) throw new Error(`verify-email: ${sent.status} ${JSON.stringify(sent.body)}`);
  const link = await verificationLink(email, received);
  const opened = await client.get(`${link.pathname}${link.search}`);
  if (opened.status !== 200)
    throw new Error(`${link.pathname}: ${opened.status} ${JSON.stringify(opened.body)}`);
}
