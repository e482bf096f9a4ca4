/**
 * `npm run chaos`: fault injection under load, in the embedded default and the distributed stack.
 * Each scenario runs the same writes (creates, completions of recurring tasks, reminders with
 * e-mail to a real SMTP server) for a bounded time while a fault happens, then waits (bounded) for
 * every acknowledged write's effects and counts what users can see: found, lost, duplicated.
 * Prints a table and writes artifacts/chaos/chaos.json; exits non-zero on any loss or duplicate.
 *
 *   npm run chaos [-- --mode embedded|distributed|both] [--seconds 15] [--poison 100]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase } from '@todo/platform/db/connect';
import { startSmtpSink } from '../../tests/support/smtp.js';
import { startDistributedTarget, startEmbeddedTarget, type Target } from '../targets.js';
import { ChaosWorkload, type Outcome } from './workload.js';

/** How long a scenario may take to show every effect after the fault was repaired. */
const RECOVERY_DEADLINE_MS = 180_000;
/** After every effect is visible, how long to wait before counting duplicates for good. */
const SETTLE_MS = 10_000;

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '15' },
    poison: { type: 'string', default: '100' },
  },
});
const seconds = Math.min(Math.max(Number(values.seconds) || 15, 8), 120);
const poisonCount = Math.min(Math.max(Number(values.poison) || 100, 3), 3000);
if (!['both', 'embedded', 'distributed'].includes(values.mode as string)) {
  throw new Error('--mode must be embedded, distributed or both');
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  name: string;
  /** Injects the fault and repairs it; resolves when repaired. */
  fault(target: Target): Promise<void>;
  /** Extra acknowledged items and their effects (the poison flood's dead letters). */
  extra?: (target: Target, since: Date) => Promise<Outcome>;
}

const killAndRestart = (service: string) => async (target: Target) => {
  await target.kill(service);
  await sleep(2000);
  await target.restart(service);
};

const EMBEDDED: Scenario[] = [
  { name: 'kill -9 the app (all services) under write load', fault: killAndRestart('api') },
];

const DISTRIBUTED: Scenario[] = [
  { name: 'kill -9 api under write load', fault: killAndRestart('api') },
  {
    name: 'stop and restart the Kafka broker under write load',
    fault: async (target) => {
      await target.broker?.stop();
      await sleep(5000);
      await target.broker?.start();
    },
  },
  {
    name: 'kill -9 recurring-task and notification mid-stream',
    fault: async (target) => {
      await Promise.all([target.kill('recurring-task'), target.kill('notification')]);
      await sleep(3000);
      await Promise.all([target.restart('recurring-task'), target.restart('notification')]);
    },
  },
  {
    name: `flood: ${poisonCount} poison messages onto task-events and reminders`,
    fault: (target) => floodWithPoison(target, poisonCount),
    extra: (target, since) => deadLettersSince(target, since, poisonCount),
  },
];

/** A third bad JSON, a third from a future major schema version, a third of an unknown type. */
async function floodWithPoison(target: Target, count: number): Promise<void> {
  const publish = target.publishRaw;
  if (!publish) throw new Error('poison flood needs the distributed stack');
  for (let i = 0; i < count; i++) {
    const key = crypto.randomUUID();
    const topic = i % 2 === 0 ? 'task-events' : 'reminders';
    const envelope = {
      event_id: crypto.randomUUID(),
      schema_version: '1.0',
      event_type: topic === 'task-events' ? 'task.created' : 'reminder.due',
      occurred_at: new Date().toISOString(),
      user_id: crypto.randomUUID(),
      task_id: key,
      correlation_id: 'chaos-poison',
    };
    const bodies = [
      `{"event_id": "poison ${i}", not json`,
      JSON.stringify({ ...envelope, schema_version: '2.0', payload: {} }),
      JSON.stringify({ ...envelope, event_type: 'task.exploded', payload: {} }),
    ];
    await publish(topic, key, bodies[i % 3] as string);
  }
}

/** Every poison message reaches the DLQ once per consumer group of its topic (two each). */
async function deadLettersSince(target: Target, since: Date, count: number) {
  const db = openDatabase({ url: target.databaseUrl as string });
  try {
    const rows = await db
      .selectFrom('dead_letters')
      .select(['original_event_id', 'consumer'])
      .where('created_at', '>=', since)
      .execute();
    const distinct = new Set(rows.map((row) => `${row.consumer}/${row.original_event_id}`));
    const expected = count * 2;
    return {
      acknowledged: expected,
      found: Math.min(distinct.size, expected),
      lost: Math.max(0, expected - distinct.size),
      duplicates: rows.length - distinct.size,
      detail: `dead letters ${distinct.size}/${expected}`,
    };
  } finally {
    await db.destroy();
  }
}

interface Row {
  mode: string;
  scenario: string;
  writes_acknowledged: number;
  found: number;
  lost: number;
  duplicates: number;
  failed_writes: number;
  /** The longest stretch without an acknowledged write. */
  write_outage_s: number;
  /** From the end of the load until every acknowledged write's effects were visible. */
  catch_up_s: number;
  all_ready_after: boolean;
  detail: string;
}

async function runScenario(
  target: Target,
  scenario: Scenario,
  label: string,
  smtp: Awaited<ReturnType<typeof startSmtpSink>>,
): Promise<Row> {
  console.error(`chaos: ${target.mode}: ${scenario.name}`);
  const since = new Date();
  const workload = await ChaosWorkload.prepare(target.url, label, smtp, seconds);
  workload.start();
  const loadEnds = sleep(seconds * 1000);
  await sleep(Math.min(4000, (seconds * 1000) / 3));
  await scenario.fault(target);
  // Writes go on for a while after the repair, so the longest gap between acknowledged writes
  // spans the whole outage even when the repair took longer than the planned load.
  await Promise.all([loadEnds, sleep(3000)]);
  await workload.stop();
  const loadEnded = Date.now();

  let outcome = await workload.outcome();
  let extra = await scenario.extra?.(target, since);
  const deadline = Date.now() + RECOVERY_DEADLINE_MS;
  while ((!outcome.complete || (extra && extra.lost > 0)) && Date.now() < deadline) {
    await sleep(1000);
    outcome = await workload.outcome();
    extra = await scenario.extra?.(target, since);
  }
  const recovered = Date.now();
  // A duplicate can trail the original (a redelivery after a retry interval): count once more later.
  await sleep(SETTLE_MS);
  outcome = await workload.outcome();
  extra = await scenario.extra?.(target, since);
  const unready = await unreadyServices(target);
  return {
    mode: target.mode,
    scenario: scenario.name,
    writes_acknowledged: outcome.acknowledged + (extra?.acknowledged ?? 0),
    found: outcome.found + (extra?.found ?? 0),
    lost: outcome.lost + (extra?.lost ?? 0),
    duplicates: outcome.duplicates + (extra?.duplicates ?? 0),
    failed_writes: workload.failedWrites,
    write_outage_s: workload.longestWriteGapSeconds(),
    catch_up_s: Math.round((recovered - loadEnded) / 100) / 10,
    all_ready_after: unready.length === 0,
    detail: [outcome.detail, extra?.detail, unready.length ? `NOT READY: ${unready.join(', ')}` : '']
      .filter(Boolean)
      .join(', '),
  };
}

async function unreadyServices(target: Target): Promise<string[]> {
  const answers = await Promise.all(
    target.serviceUrls.map(async (url) => {
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      return response?.ok ? undefined : url;
    }),
  );
  return answers.filter((url): url is string => url !== undefined);
}

const smtp = await startSmtpSink();
const rows: Row[] = [];
try {
  const env = { SMTP_URL: smtp.url, MAIL_FROM: 'Todo <reminders@todo.test>' };
  const modes = values.mode === 'both' ? ['embedded', 'distributed'] : [values.mode];
  for (const mode of modes) {
    const target =
      mode === 'embedded' ? await startEmbeddedTarget(env) : await startDistributedTarget({ env });
    try {
      const scenarios = mode === 'embedded' ? EMBEDDED : DISTRIBUTED;
      for (const [i, scenario] of scenarios.entries()) {
        rows.push(await runScenario(target, scenario, `${mode}-${i + 1}`, smtp));
      }
    } finally {
      await target.stop();
    }
  }
} finally {
  await smtp.close();
}
console.table(rows.map(({ detail: _detail, ...row }) => row));
for (const row of rows) console.log(`${row.mode} / ${row.scenario}: ${row.detail}`);
mkdirSync('artifacts/chaos', { recursive: true });
writeFileSync(
  'artifacts/chaos/chaos.json',
  JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, seconds, rows }, null, 2),
);
if (rows.some((row) => row.lost > 0 || row.duplicates > 0 || !row.all_ready_after)) {
  console.error('chaos: effects were lost or duplicated (or a service did not recover)');
  process.exitCode = 1;
}
