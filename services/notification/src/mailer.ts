import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail; resolves only once the server accepted the message. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer for an SMTP server URL (smtp:// or smtps://, credentials in the URL). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      // sendMail resolves after the server's reply to DATA, and rejects when every recipient was refused.
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}
