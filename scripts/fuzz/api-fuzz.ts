/**
 * Hostile input against the embedded default: schemathesis (from PyPI, in a venv under .cache/)
 * fuzzes every operation of /api/openapi.json as a freshly signed-up user, then random and
 * oversized text goes to POST /api/chat, then random tasks go through the calendar feed (every
 * one must come back, parsed by ical.js, with its text intact). An SMTP server takes the
 * verification e-mails. Passes when nothing answers 5xx and the app stays up.
 * Usage: npm run fuzz:api [-- --examples 50 --seconds 300 --chat-runs 300 --calendar-runs 100 --seed 1]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { ApiClient } from '../../tests/support/client.js';
import { AppProcess, freePort } from '../../tests/support/process.js';
import { startSmtpSink } from '../../tests/support/smtp.js';

const SCHEMATHESIS = '4.32.5';
const VENV = resolve('.cache/fuzz-venv');
const { values } = parseArgs({
  options: {
    examples: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '300' },
    'chat-runs': { type: 'string', default: '300' },
    'calendar-runs': { type: 'string', default: '100' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
  },
});

/** Installs the pinned schemathesis into the project's venv once; later runs reuse it. */
function schemathesis(): string {
  const bin = join(VENV, 'bin', 'schemathesis');
  const installed = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  if (installed.includes(SCHEMATHESIS)) return bin;
  mkdirSync(VENV, { recursive: true });
  if (!existsSync(join(VENV, 'bin', 'pip'))) run('python3', ['-m', 'venv', VENV]);
  if (run(join(VENV, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS}`]) !== 0) {
    throw new Error(`pip could not install schemathesis ${SCHEMATHESIS} into ${VENV}`);
  }
  return bin;
}

/** Runs in .cache/ (ignored by git): schemathesis keeps its crash cache in the working directory. */
function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: resolve('.cache') });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** The same without blocking this process, whose SMTP server must answer while schemathesis runs. */
function runInBackground(command: string, args: string[]): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: resolve('.cache') });
    child.once('error', reject);
    child.once('exit', (code) => resolveExit(code ?? 1));
  });
}

/**
 * One chat request. A connection reset is retried once if the app is still healthy: the client
 * may reuse a keep-alive socket the server just timed out; a crash fails the health check instead.
 */
async function postChat(user: ApiClient, body: string | undefined) {
  const send = () => user.request('POST', '/api/chat', body, { 'content-type': 'application/json' });
  try {
    return await send();
  } catch (error) {
    if (!(await fetch(`${user.baseUrl}/healthz`)).ok) throw error;
    return send();
  }
}

/** Random text of every kind and size, oversized included, must never be a 5xx. */
async function fuzzChat(user: ApiClient, runs: number, seed: number) {
  const statuses = new Map<number, number>();
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 500 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2000 }),
    fc.string({ unit: 'binary', minLength: 2001, maxLength: 20_000 }),
    fc.string({ unit: 'binary-ascii', minLength: 60_000, maxLength: 100_000 }),
  );
  const body = fc.oneof(
    fc.record({ message: text }),
    fc.record({ message: text, conversation_id: fc.uuid() }),
    fc.anything(),
  );
  await fc.assert(
    fc.asyncProperty(body, async (payload) => {
      const { status } = await postChat(user, JSON.stringify(payload));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) throw new Error(`POST /api/chat answered ${status}`);
    }),
    { numRuns: runs, seed },
  );
  return Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
}

/**
 * Random tasks (any text, tags, reminders, rules, all-day or timed) through the calendar feed: after
 * each accepted one the feed must answer 200, parse, and hold every open dated task once with its
 * title, description and tags as the API stored them.
 */
async function fuzzCalendar(user: ApiClient, runs: number, seed: number) {
  const statuses = new Map<number, number>();
  const feed = await user.post('/api/calendar-feed');
  if (feed.status !== 201) throw new Error(`calendar feed: ${feed.status} ${JSON.stringify(feed.body)}`);
  const expected = new Map<string, { title: string; description: string; tags: string[] }>();
  const when = fc.oneof(
    fc.date({ min: new Date('1970-01-02'), max: new Date('2199-12-30'), noInvalidDate: true }).map((d) => ({
      due_at: d.toISOString(),
    })),
    fc
      .date({ min: new Date('1970-01-02'), max: new Date('2199-12-30'), noInvalidDate: true })
      .map((d) => ({ due_at: d.toISOString().slice(0, 10), all_day: true })),
  );
  // What iCalendar must escape or fold (`,` `;` `\` line breaks, long multi-byte runs) mixed with any text.
  const awkward = fc.constantFrom(
    ',',
    ';',
    '\\',
    '\n',
    '\r\n',
    ':',
    '"',
    'é',
    '中',
    '😀',
    ' ',
    'x'.repeat(80),
  );
  const text = (maxLength: number) =>
    fc
      .array(fc.oneof(awkward, fc.string({ unit: 'grapheme', maxLength: 20 })), { maxLength: maxLength / 20 })
      .map((parts) => parts.join('').slice(0, maxLength));
  // Tags as the API takes them (letters and digits, then also `_-./`), so that most tasks get in.
  const tagChar = fc.constantFrom('a', 'Z', 'ß', 'é', '中', '7', '_', '-', '.', '/');
  const task = fc.record({
    title: fc.oneof(text(300), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 })),
    description: text(600),
    tags: fc.array(
      fc
        .tuple(fc.constantFrom('a', 'ü', '中', '9'), fc.array(tagChar, { maxLength: 20 }))
        .map(([first, rest]) => first + rest.join('')),
      { maxLength: 6 },
    ),
    priority: fc.constantFrom('low', 'medium', 'high', 'urgent'),
    reminders: fc.array(fc.constantFrom('PT0S', 'PT5M', 'PT1H30M', 'P1D', 'P1W', 'P2DT3H'), { maxLength: 4 }),
    recurrence: fc.constantFrom(
      null,
      'FREQ=DAILY',
      'FREQ=WEEKLY;BYDAY=MO,WE',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      'FREQ=YEARLY;COUNT=3',
      'FREQ=DAILY;INTERVAL=2;UNTIL=22000101T000000Z',
    ),
    when,
  });
  await fc.assert(
    fc.asyncProperty(task, async ({ when: due, ...fields }) => {
      const created = await user.post('/api/tasks', { ...fields, ...due });
      statuses.set(created.status, (statuses.get(created.status) ?? 0) + 1);
      if (created.status >= 500) throw new Error(`POST /api/tasks answered ${created.status}`);
      if (created.status !== 201) return;
      const { id, title, description, tags } = created.body;
      expected.set(id, { title, description, tags });
      const response = await fetch(feed.body.url);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status !== 200) throw new Error(`the feed answered ${response.status}`);
      const calendar = new ICAL.Component(ICAL.parse(await response.text()) as unknown[]);
      const found = new Map(
        calendar.getAllSubcomponents('vtodo').map((todo) => [
          String(todo.getFirstPropertyValue('uid')),
          {
            title: String(todo.getFirstPropertyValue('summary')),
            description: String(todo.getFirstPropertyValue('description') ?? ''),
            tags: todo.getFirstProperty('categories')?.getValues().map(String) ?? [],
          },
        ]),
      );
      if (JSON.stringify([...found].sort()) !== JSON.stringify([...expected].sort())) {
        throw new Error(`the feed does not hold the tasks as stored (after ${JSON.stringify(created.body)})`);
      }
    }),
    { numRuns: runs, seed },
  );
  return Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
}

const bin = schemathesis();
const smtp = await startSmtpSink();
const dataDir = mkdtempSync(join(tmpdir(), 'todo-fuzz-'));
// Signup and login are fuzzed too: the login limit must not turn the run into a stream of 429s.
const app = new AppProcess(
  {
    DATA_DIR: dataDir,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    CHAT_RATE_LIMIT_PER_MINUTE: '100000',
    SMTP_URL: smtp.url,
  },
  await freePort(),
  await freePort(),
);
await app.start();
let failed = false;
try {
  const user = await new ApiClient(app.url).signup('Europe/Berlin');
  // A personal access token, not the session: a fuzzed logout or password change would otherwise
  // end the session and leave every later operation a 401. Account operations then answer 403
  // after validating their bodies.
  const pat = await user.post('/api/tokens', { name: 'fuzz', expires_in_days: 1 });
  if (pat.status !== 201) throw new Error(`token: ${pat.status} ${JSON.stringify(pat.body)}`);
  const seed = Number(values.seed);
  const exitCode = await runInBackground(bin, [
    'run',
    `${app.url}/api/openapi.json`,
    '--header',
    `Authorization: Bearer ${pat.body.token}`,
    '--checks',
    'not_a_server_error,response_schema_conformance,content_type_conformance',
    '--max-examples',
    values.examples,
    '--max-time',
    values.seconds,
    '--seed',
    String(seed),
    // The scheduler's loopback-only callback: not part of the public surface.
    '--exclude-tag',
    'internal',
    '--no-color',
  ]);
  const chat = await fuzzChat(user, Number(values['chat-runs']), seed);
  const calendar = await fuzzCalendar(user, Number(values['calendar-runs']), seed);
  const alive = (await fetch(`${app.url}/healthz`)).ok;
  const tally = await tallyFromMetrics(app.metricsUrl);
  const serverErrors = Object.values(tally).reduce((sum, row) => sum + row['5xx'], 0);
  console.log('\nrequests the server answered, by route (schemathesis and the chat fuzz together):');
  console.table(tally);
  console.log('chat fuzz (POST /api/chat), responses by status:', chat);
  console.log('calendar fuzz (POST /api/tasks, then the feed), responses by status:', calendar);
  console.log(`verification e-mails the SMTP server accepted: ${(await smtp.messages()).length}`);
  console.log(
    `schemathesis exit code ${exitCode}; 5xx answered: ${serverErrors}; app still healthy: ${alive}; seed ${seed}`,
  );
  failed = exitCode !== 0 || serverErrors > 0 || !alive;
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await app.stop();
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/**
 * What the server itself answered, per route, from its own request counter: requests, 4xx, 5xx.
 * Counted at the server, so no 5xx can hide behind a client-side retry or a skipped check.
 */
async function tallyFromMetrics(metricsUrl: string) {
  const text = await (await fetch(metricsUrl)).text();
  const rows = new Map<string, { requests: number; '4xx': number; '5xx': number }>();
  const line = /^http_requests_total\{method="([^"]+)",route="([^"]+)",status="(\d+)"\} (\d+)$/;
  for (const match of text.split('\n').map((l) => line.exec(l))) {
    if (!match) continue;
    const [, method, route, status = '', count] = match;
    if (route === '/metrics' || route === '/healthz') continue;
    const key = `${method} ${route}`;
    const row = rows.get(key) ?? { requests: 0, '4xx': 0, '5xx': 0 };
    row.requests += Number(count);
    if (status.startsWith('4')) row['4xx'] += Number(count);
    if (status.startsWith('5')) row['5xx'] += Number(count);
    rows.set(key, row);
  }
  return Object.fromEntries([...rows].sort(([a], [b]) => a.localeCompare(b)));
}
