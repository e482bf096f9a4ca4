/**
 * The SMTP catcher of the containers stack (scripts/containers/stack.sh): the tests' SMTP sink on
 * 127.0.0.1:2525 of the pod, and `GET /messages` on 0.0.0.0:8025 listing what it received
 * (recipients, subject, text) — the part of Mailpit the smoke test needs, with no image to pull.
 */
import { createServer } from 'node:http';
import { startSmtpSink } from '../../tests/support/smtp.js';

// The pod's loopback in the containers stack; the pod's address (SMTP_HOST=0.0.0.0) in the
// cluster, where the notification service reaches it through a Service.
const sink = await startSmtpSink(2525, process.env.SMTP_HOST ?? '127.0.0.1');
const listing = createServer(async (request, response) => {
  if (request.method !== 'GET' || request.url !== '/messages') {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: `no route ${request.method} ${request.url}; try GET /messages` }));
    return;
  }
  const messages = await sink.messages();
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify(messages.map(({ to, parsed }) => ({ to, subject: parsed.subject, text: parsed.text }))),
  );
});
listing.listen(8025, '0.0.0.0', () =>
  console.log(`smtp-catcher: SMTP ${sink.url}, listing on :8025/messages`),
);
const stop = () => {
  listing.close();
  void sink.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
