/**
 * `npm run bench:startup`: start-up time and resident memory of every service, run through tsx on
 * the TypeScript sources (development) and as the compiled JavaScript the image runs
 * (.infra/images/app, staged by `npm run images`), both on the image's Node 24 binary
 * (.infra/images/node-context/node) when present, this Node otherwise.
 *
 * Each service process is started ROUNDS times behind its own running daprd (the distributed
 * stack, `startStack`): start-up = spawn → /readyz answers 200; RSS = VmRSS 5 s after ready.
 * Prints a table (medians) and writes artifacts/startup/startup.json.
 *
 * Env: STARTUP_ROUNDS (3).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES } from '../../runtime/src/service-names.js';
import { startStack } from '../stack.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMPILED = join(ROOT, '.infra/images/app');
const IMAGE_NODE = join(ROOT, '.infra/images/node-context/node');
const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 3);
const SETTLE_MS = 5000;

const node = existsSync(IMAGE_NODE) ? IMAGE_NODE : process.execPath;
const variants = {
  tsx: [node, '--import', 'tsx', 'runtime/src/service.ts'],
  compiled: [node, '--conditions=todo-compiled', join(COMPILED, 'runtime/src/service.js')],
} as const;

function rssMib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0) / 1024;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

interface Row {
  variant: keyof typeof variants;
  service: string;
  startup_s: number;
  rss_mib: number;
}

if (!existsSync(join(COMPILED, 'runtime/src/service.js'))) {
  console.error('startup-bench: no compiled app in .infra/images/app; run `npm run images` first');
  process.exit(2);
}

const rows: Row[] = [];
for (const [variant, serviceCommand] of Object.entries(variants) as [
  keyof typeof variants,
  readonly string[],
][]) {
  const stack = await startStack({
    basePort: 3200,
    serviceCommand,
    log: (line) => console.error(`stack: ${line}`),
  });
  try {
    for (const service of SERVICE_NAMES) {
      const startups: number[] = [];
      const rss: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await stack.kill(service);
        startups.push(await stack.restart(service));
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const pid = stack.pids(service).service;
        if (pid !== undefined) rss.push(rssMib(pid));
      }
      const row = {
        variant,
        service,
        startup_s: Math.round(median(startups) * 100) / 100,
        rss_mib: Math.round(median(rss) * 10) / 10,
      };
      rows.push(row);
      console.error(`startup-bench: ${JSON.stringify(row)}`);
    }
  } finally {
    await stack.stop();
  }
}

console.log(`\nnode ${node} — medians of ${ROUNDS} starts per service`);
console.log(
  `${'service'.padEnd(16)} ${'tsx start s'.padStart(12)} ${'compiled s'.padStart(11)} ${'tsx RSS MiB'.padStart(12)} ${'compiled MiB'.padStart(13)}`,
);
for (const service of SERVICE_NAMES) {
  const of = (variant: Row['variant']) =>
    rows.find((row) => row.variant === variant && row.service === service);
  const tsx = of('tsx');
  const compiled = of('compiled');
  console.log(
    `${service.padEnd(16)} ${String(tsx?.startup_s).padStart(12)} ${String(compiled?.startup_s).padStart(11)} ${String(tsx?.rss_mib).padStart(12)} ${String(compiled?.rss_mib).padStart(13)}`,
  );
}
mkdirSync(join(ROOT, 'artifacts/startup'), { recursive: true });
writeFileSync(
  join(ROOT, 'artifacts/startup/startup.json'),
  `${JSON.stringify({ node, rounds: ROUNDS, rows }, null, 2)}\n`,
);
