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
  // nodemailer waits up to 2 minutes to connect and 10 for a silent socket by default: a stuck
  // server would hold a verification request (and a reminder's delivery) that long.
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(message) {
      // sendMail resolves after the server's reply to DATA, and rejects when every recipient was refused.
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}
