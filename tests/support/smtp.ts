import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { MailText } from './email-verification.js';

/** A message as the SMTP server accepted it: the envelope recipients and the parsed MIME message. */
export interface ReceivedMail {
  to: string[];
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  /** Accepted messages, recorded before the server answers the DATA command. */
  messages(): Promise<ReceivedMail[]>;
  /** The same, as recipients, subject and plain text. */
  texts(): Promise<MailText[]>;
  /** While true, recipients are refused with a temporary error, as a server that is down would. */
  refusing: boolean;
  close(): Promise<void>;
}

/** A real SMTP server on loopback (a free port unless given) that keeps what it is sent. */
export async function startSmtpSink(port = 0, host = '127.0.0.1'): Promise<SmtpSink> {
  const received: { to: string[]; raw: Buffer }[] = [];
  const sink = { refusing: false } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to trust, as a local relay would run.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!sink.refusing) return callback();
      const error = Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 450 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  const messages = () =>
    Promise.all(received.map(async ({ to, raw }) => ({ to, parsed: await simpleParser(raw) })));
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    texts: async () =>
      (await messages()).map(({ to, parsed }) => ({
        to,
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
      })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
