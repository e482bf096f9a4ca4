/**
 * `npm run bench`: how fast the system is, in the embedded default and the distributed stack.
 * For each mode: HTTP throughput and latency per operation (autocannon), events sustained to every
 * consumer, write → WebSocket frame at a fixed offered rate, completing a recurring task → its
 * next occurrence, 1,000 reminders due at the same second, and the resident memory of every
 * process. Prints tables and writes artifacts/bench/bench-<mode>.json. Everything is bounded.
 *
 *   npm run bench [-- --mode embedded|distributed|both] [--seconds 10] [--connections 10]
 *     [--ws-writes 200] [--ws-rate 50] [--samples 30] [--reminders 1000] [--cpu-prof <dir>]
 *     [--tracing off|on|both]
 *
 * --tracing: off (default) runs untraced; on traces every service (and sidecar) into a Zipkin of
 * the run's own; both runs each mode untraced then traced and prints the two side by side.
 *
 * --cpu-prof writes a V8 CPU profile of the embedded app's process into <dir> (open it in Chrome
 * DevTools or speedscope; `scripts/bench/profile-summary.ts` lists its heaviest frames).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient } from '../../tests/support/client.js';
import { type Mode, startDistributedTarget, startEmbeddedTarget } from '../targets.js';
import {
  measureEventThroughput,
  measureNextOccurrence,
  measureReminderBurst,
  measureWriteToFrame,
} from './event-paths.js';
import { runHttpLoad, seedTasks } from './http-load.js';
import { sampleMemory } from './memory.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'ws-writes': { type: 'string', default: '200' },
    'ws-rate': { type: 'string', default: '50' },
    samples: { type: 'string', default: '30' },
    reminders: { type: 'string', default: '1000' },
    'cpu-prof': { type: 'string' },
    tracing: { type: 'string', default: 'off' },
  },
});
const bounded = (name: string, value: string | undefined, max: number) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw new Error(`--${name} must be 1..${max}`);
  return number;
};
const settings = {
  seconds: bounded('seconds', values.seconds, 120),
  connections: bounded('connections', values.connections, 200),
  wsWrites: bounded('ws-writes', values['ws-writes'], 5000),
  wsRate: bounded('ws-rate', values['ws-rate'], 1000),
  samples: bounded('samples', values.samples, 500),
  reminders: bounded('reminders', values.reminders, 5000),
};
const modes: Mode[] =
  values.mode === 'both'
    ? ['embedded', 'distributed']
    : values.mode === 'embedded'
      ? ['embedded']
      : ['distributed'];
if (!['both', 'embedded', 'distributed'].includes(values.mode as string)) {
  throw new Error('--mode must be embedded, distributed or both');
}
if (!['off', 'on', 'both'].includes(values.tracing as string))
  throw new Error('--tracing must be off, on or both');
const tracingVariants: boolean[] =
  values.tracing === 'both' ? [false, true] : values.tracing === 'on' ? [true] : [false];

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync('artifacts/bench', { recursive: true });

/** The headline numbers of one run, for the traced-versus-untraced table. */
const headlines: { run: string; numbers: Record<string, number> }[] = [];

for (const mode of modes) {
  for (const tracing of tracingVariants) {
    headlines.push({
      run: `${mode}, ${tracing ? 'traced' : 'untraced'}`,
      numbers: await benchmark(mode, tracing),
    });
  }
}
if (tracingVariants.length > 1) {
  // Rows: the measure; columns: each run, so traced and untraced sit next to each other.
  const measures = [...new Set(headlines.flatMap(({ numbers }) => Object.keys(numbers)))];
  console.log('\n== tracing off vs on');
  console.table(
    Object.fromEntries(
      measures.map((measure) => [
        measure,
        Object.fromEntries(headlines.map(({ run, numbers }) => [run, numbers[measure]])),
      ]),
    ),
  );
}

async function benchmark(mode: Mode, tracing: boolean): Promise<Record<string, number>> {
  console.log(`\n== ${mode}${tracing ? ' (traced into Zipkin)' : ''} (${machine})`);
  const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const target =
    mode === 'embedded'
      ? await startEmbeddedTarget({}, profile, tracing)
      : await startDistributedTarget({ tracing });
  const memory = sampleMemory(target);
  try {
    const user = await new ApiClient(target.url).signup();
    await seedTasks(user);
    const http = await runHttpLoad(target.url, user, settings);
    console.table(http);
    const failed = http.filter((row) => row.non_2xx > 0 || row.errors > 0).map((row) => row.phase);
    if (failed.length > 0) {
      // Refused or failed requests are fast: their numbers would flatter the phase.
      console.error(`error answers in: ${failed.join(', ')} — those rows do not measure the operation`);
      process.exitCode = 1;
    }
    const throughput = await measureEventThroughput(target.url, target.metricsUrls, settings);
    console.table([throughput]);
    const latencies = [
      await measureWriteToFrame(target.url, { writes: settings.wsWrites, rate: settings.wsRate }),
      await measureNextOccurrence(target.url, settings.samples),
      await measureReminderBurst(target.url, settings.reminders),
    ];
    console.table(latencies);
    const rss = await memory.stop();
    console.table(rss);
    const file = `artifacts/bench/bench-${mode}${tracing ? '-traced' : ''}.json`;
    writeFileSync(
      file,
      JSON.stringify(
        {
          mode,
          tracing,
          date: new Date().toISOString(),
          machine,
          settings,
          http,
          throughput,
          latencies,
          rss,
        },
        null,
        2,
      ),
    );
    console.log(`written: ${file}`);
    return {
      ...Object.fromEntries(
        http.flatMap((row) => [
          [`${row.phase} req/s`, row.requests_per_second],
          [`${row.phase} p99 ms`, row.p99_ms],
        ]),
      ),
      'events/s to every consumer': throughput.events_per_second_to_every_consumer,
      ...Object.fromEntries(latencies.map((row) => [`${row.path} p95 ms`, row.p95_ms])),
    };
  } finally {
    await memory.stop();
    await target.stop();
  }
}
