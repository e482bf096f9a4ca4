/**
 * `npm run dashboard:snapshot`: the Grafana dashboard (deploy/monitoring/grafana) looked at with
 * live data. Starts the distributed stack and a Prometheus server (scripts/infra/tools.sh builds
 * it) scraping every service's /metrics with the labels a cluster's ServiceMonitor gives them, and
 * the Kafka consumer-group lag kafka-exporter would export (read here with kafkajs' admin client);
 * drives a few minutes of use (writes, completions of recurring tasks, reminders coming due, live
 * WebSocket clients, poison events for the DLQ), then evaluates every panel's queries through
 * Prometheus' HTTP API and draws the panels, laid out as the dashboard lays them out, into a PNG
 * (headless Chromium). Bounded: stops what it started on any exit.
 *
 *   flock /tmp/todo-stack.lock npm run dashboard:snapshot [-- --minutes 4 --users 3 --out docs/dashboard.png]
 *   npm run dashboard:snapshot -- --render .infra/dashboard/panels.json   (the last run's data, drawn again)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { kafkaAdmin } from '../runtime/src/topics.js';
import { ApiClient } from '../tests/support/client.js';
import { SyncClient } from '../tests/support/sync-client.js';
import { startRunRecord } from './stack.js';
import { startDistributedTarget, type Target } from './targets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATE = join(ROOT, '.infra/dashboard');
const DASHBOARD = join(ROOT, 'deploy/monitoring/grafana/todo-chatbot-dashboard.json');
/** The namespace label the dashboard filters on, as a cluster's would be. */
const NAMESPACE = 'todo-app-local';
const PROMETHEUS_PORT = 19_090;
const PANELS = join(STATE, 'panels.json');

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '4' },
    users: { type: 'string', default: '3' },
    out: { type: 'string', default: 'docs/dashboard.png' },
    render: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 1 || minutes > 30) throw new Error('--minutes must be 1..30');
const users = Number(values.users);
if (!Number.isInteger(users) || users < 1 || users > 20) throw new Error('--users must be 1..20');

interface Panel {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr: string; legendFormat?: string }[];
}
interface Series {
  label: string;
  points: [number, number][];
}

async function prometheusReady(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Prometheus not ready on port ${PROMETHEUS_PORT} after 60 s`);
}

/**
 * What kafka-exporter serves in a cluster, for the lag panel: `kafka_consumergroup_lag{consumergroup,
 * topic, partition}`, the topic's end offset minus the group's committed offset, read per scrape.
 */
async function startLagExporter(): Promise<Server> {
  const admin = kafkaAdmin();
  await admin.connect();
  const lines = async () => {
    const out = ['# TYPE kafka_consumergroup_lag gauge'];
    const ends = new Map<string, Map<number, number>>();
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        if (!ends.has(topic)) {
          const offsets = await admin.fetchTopicOffsets(topic);
          ends.set(topic, new Map(offsets.map(({ partition, high }) => [partition, Number(high)])));
        }
        for (const { partition, offset } of partitions) {
          const end = ends.get(topic)?.get(partition);
          // -1: nothing committed yet; the whole partition is behind.
          if (end !== undefined) {
            const lag = Number(offset) < 0 ? end : end - Number(offset);
            out.push(
              `kafka_consumergroup_lag{consumergroup="${groupId}",topic="${topic}",partition="${partition}"} ${lag}`,
            );
          }
        }
      }
    }
    return `${out.join('\n')}\n`;
  };
  const server = createServer((_request, response) => {
    lines().then(
      (text) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
      (error: unknown) => response.writeHead(503).end(String(error)),
    );
  });
  server.on('close', () => void admin.disconnect());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * One target per service process, labelled as the chart's ServiceMonitor labels them in a cluster
 * (the app's own labels kept: honorLabels), and the lag exporter.
 */
function scrapeConfig(instances: NonNullable<Target['instances']>, lag: Server): string {
  return [
    'global: { scrape_interval: 5s, evaluation_interval: 5s }',
    'scrape_configs:',
    '  - job_name: todo-chatbot',
    '    honor_labels: true',
    '    static_configs:',
    ...instances.map(
      ({ appId, instance, metricsUrl }) =>
        `      - targets: ['${new URL(metricsUrl).host}']\n` +
        `        labels: { namespace: ${NAMESPACE}, service: ${appId}, pod: ${instance} }`,
    ),
    '  - job_name: kafka-exporter',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${(lag.address() as AddressInfo).port}']`,
    '',
  ].join('\n');
}

/**
 * One user's use for `durationMs`: writes with reminders, recurring completions, refused input,
 * lists. Resolves with the close of its WebSocket, left open until the panels are evaluated.
 */
async function driveUse(
  url: string,
  publishRaw: ((topic: string, key: string, body: string) => Promise<void>) | undefined,
  durationMs: number,
): Promise<() => Promise<void>> {
  const user = await new ApiClient(url).signup();
  const socket = await SyncClient.open(url, user.token as string);
  const deadline = Date.now() + durationMs;
  for (let round = 0; Date.now() < deadline; round++) {
    const dueSoon = new Date(Date.now() + 5000).toISOString();
    const created = await Promise.all([
      user.post('/api/tasks', { title: `Snapshot ${round}`, due_at: dueSoon, reminders: ['PT1S'] }),
      user.post('/api/tasks', { title: `Daily ${round}`, due_at: dueSoon, recurrence: 'FREQ=DAILY' }),
      // Refused input: the 4xx the dashboard counts but the error ratio (5xx) does not.
      user.post('/api/tasks', { title: '' }),
    ]);
    const daily = created[1]?.body as { id?: string } | undefined;
    if (daily?.id) await user.post(`/api/tasks/${daily.id}/complete`);
    await user.get('/api/tasks?limit=50');
    // A poison event now and then: not JSON, so each consumer dead-letters it.
    if (round % 10 === 0) await publishRaw?.('task-events', crypto.randomUUID(), 'not json');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return () => socket.close();
}

async function evaluatePanels(from: number, to: number): Promise<(Panel & { series: Series[] })[]> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const step = Math.max(5, Math.round((to - from) / 1000 / 120));
  const evaluated: (Panel & { series: Series[] })[] = [];
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') {
      evaluated.push({ ...panel, title: panel.title.replace('$service', 'every service'), series: [] });
      continue;
    }
    const series: Series[] = [];
    for (const queryTarget of panel.targets ?? []) {
      const expr = queryTarget.expr.replaceAll('$namespace', NAMESPACE).replaceAll('$service', '.*');
      const query = new URLSearchParams({
        query: expr,
        start: String(from / 1000),
        end: String(to / 1000),
        step: String(step),
      });
      const response = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query_range?${query}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; values: [number, string][] }[] };
      };
      if (body.status !== 'success') throw new Error(`${panel.title}: ${expr}: ${body.error}`);
      for (const result of body.data?.result ?? []) {
        series.push({
          label:
            (queryTarget.legendFormat ?? '').replace(
              /\{\{(\w+)\}\}/g,
              (_, name: string) => result.metric[name] ?? '',
            ) || expr,
          points: result.values
            .map(([time, value]) => [time, Number(value)] as [number, number])
            .filter(([, v]) => Number.isFinite(v)),
        });
      }
    }
    evaluated.push({ ...panel, title: panel.title.replace('$service', 'every service'), series });
  }
  return evaluated;
}

const COLOURS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
];

/** A value as the panel's unit shows it. */
function formatValue(value: number, unit: string | undefined): string {
  if (unit === 'percentunit') return `${(value * 100).toFixed(1)} %`;
  if (unit === 's') return value < 1 ? `${(value * 1000).toFixed(0)} ms` : `${value.toFixed(2)} s`;
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
  return unit === 'reqps' ? `${rounded} req/s` : unit === 'ops' ? `${rounded}/s` : rounded;
}

/** Where an empty panel's metric comes from in a cluster, when the local stack has no such exporter. */
function absentSource(panel: Panel): string {
  const exprs = (panel.targets ?? []).map(({ expr }) => expr).join(' ');
  if (exprs.includes('kube_')) return 'kube-state-metrics (a cluster only; no pods here)';
  // A ratio with no 5xx at all has no series, as in Grafana.
  return exprs.includes('status=~"5..') ? 'this run: not one 5xx answer' : 'this run';
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** One panel as an SVG line chart with its legend (last value per series). */
function panelHtml(panel: Panel & { series: Series[] }): string {
  const { x, y, w, h } = panel.gridPos;
  const place = `grid-column: ${x + 1} / span ${w}; grid-row: ${y + 1} / span ${h};`;
  if (panel.type === 'row') return `<h2 style="${place}">${escapeHtml(panel.title)}</h2>`;
  const unit = panel.fieldConfig?.defaults?.unit;
  const points = panel.series.flatMap((series) => series.points);
  const width = 100 * w;
  // Room below the chart for the legend (two columns, at most 8 entries).
  const legendRows = Math.ceil(Math.min(panel.series.length, 8) / 2);
  const height = 30 * h - 40 - 16 * legendRows;
  let body = `<div class="empty">no data${panel.series.length === 0 ? ` from ${escapeHtml(absentSource(panel))}` : ''}</div>`;
  if (panel.type === 'stat' && panel.series.length > 0) {
    // A stat panel shows each series' last value, as Grafana's does.
    body = `<div class="stats">${panel.series
      .map(
        (series) =>
          `<div><b>${formatValue(series.points.at(-1)?.[1] ?? 0, unit)}</b>${escapeHtml(series.label)}</div>`,
      )
      .join('')}</div>`;
  } else if (points.length > 0) {
    const [t0, t1] = [Math.min(...points.map(([t]) => t)), Math.max(...points.map(([t]) => t))];
    const top = Math.max(...points.map(([, v]) => v), 0) || 1;
    const sx = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (width - 60)) + 55;
    const sy = (v: number) => height - 15 - (v / top) * (height - 25);
    const lines = panel.series
      .map(
        (series, i) =>
          `<polyline fill="none" stroke-width="1.5" stroke="${COLOURS[i % COLOURS.length]}" points="${series.points
            .map(([t, v]) => `${sx(t).toFixed(1)},${sy(v).toFixed(1)}`)
            .join(' ')}"/>`,
      )
      .join('');
    const axis = `<text x="2" y="14">${formatValue(top, unit)}</text><text x="2" y="${height - 15}">0</text>
      <line x1="55" x2="${width - 5}" y1="${height - 15}" y2="${height - 15}" stroke="#999"/>
      <text x="55" y="${height - 2}">${new Date(t0 * 1000).toISOString().slice(11, 19)}</text>
      <text x="${width - 90}" y="${height - 2}">${new Date(t1 * 1000).toISOString().slice(11, 19)} UTC</text>`;
    const legend = panel.series
      .slice(0, 8)
      .map(
        (series, i) =>
          `<li><span style="background:${COLOURS[i % COLOURS.length]}"></span>${escapeHtml(series.label)}: ${formatValue(series.points.at(-1)?.[1] ?? 0, unit)}</li>`,
      )
      .join('');
    body = `<svg width="${width}" height="${height}">${axis}${lines}</svg><ul>${legend}</ul>`;
  }
  return `<section style="${place}"><h3>${escapeHtml(panel.title)}</h3>${body}</section>`;
}

async function render(
  panels: (Panel & { series: Series[] })[],
  out: string,
  run: { from: number; to: number; users: number },
): Promise<void> {
  const clock = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const html = `<!doctype html><html><head><style>
    body { font: 12px sans-serif; margin: 8px; background: #f4f5f7; width: 2400px; }
    main { display: grid; grid-template-columns: repeat(24, 100px); grid-auto-rows: 30px; }
    section { background: #fff; border: 1px solid #ddd; margin: 3px; padding: 4px; overflow: hidden; }
    h1 { font-size: 18px; } h2 { font-size: 15px; margin: 8px 4px 0; } h3 { font-size: 13px; margin: 0 0 4px; }
    svg text { font-size: 10px; fill: #555; } ul { list-style: none; margin: 2px 0; padding: 0; columns: 2; }
    li span { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
    .empty { color: #999; padding: 20px; }
    .stats div { display: inline-block; margin: 10px 16px; color: #555; } .stats b { display: block; font-size: 28px; color: #1f77b4; }
  </style></head><body><h1>Todo Chatbot - overview: the distributed stack (npm run stack) under ${run.users} simulated users,
  ${clock(run.from)} to ${clock(run.to)} UTC, queries evaluated by Prometheus (namespace ${NAMESPACE})</h1>
  <main>${panels.map(panelHtml).join('')}</main></body></html>`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 2420, height: 1000 } });
    await page.setContent(html);
    mkdirSync(join(out, '..'), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
}

/** The panels of an earlier run (`--render .infra/dashboard/panels.json`) or of a new run. */
async function main(): Promise<void> {
  if (values.render) {
    const saved = JSON.parse(readFileSync(values.render, 'utf8')) as Saved;
    await renderTo(saved.panels, saved);
    return;
  }
  await snapshot();
}

interface Saved {
  from: number;
  to: number;
  users: number;
  panels: (Panel & { series: Series[] })[];
}

async function renderTo(panels: Saved['panels'], run: Omit<Saved, 'panels'>): Promise<void> {
  await render(panels, join(ROOT, values.out as string), run);
  console.log(
    `written: ${values.out} (${panels.length} panels, ${Math.round((run.to - run.from) / 1000)} s of data)`,
  );
}

async function snapshot(): Promise<void> {
  const prometheusBinary = execFileSync(
    'bash',
    [join(ROOT, 'scripts/infra/tools.sh'), 'path', 'prometheus'],
    {
      encoding: 'utf8',
    },
  ).trim();
  const record = await startRunRecord();
  const target = await startDistributedTarget({ basePort: 3300, tracing: true });
  let prometheus: ChildProcess | undefined;
  let lagExporter: Server | undefined;
  try {
    mkdirSync(STATE, { recursive: true });
    const config = join(STATE, 'prometheus.yml');
    // Each snapshot starts with an empty time series database: only this run's data is drawn.
    const tsdb = join(STATE, 'tsdb');
    rmSync(tsdb, { recursive: true, force: true });
    lagExporter = await startLagExporter();
    writeFileSync(config, scrapeConfig(target.instances ?? [], lagExporter));
    prometheus = spawn(
      prometheusBinary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
        '--storage.tsdb.retention.time=2h',
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    if (prometheus.pid !== undefined) record.own('prometheus', prometheus.pid);
    await prometheusReady();
    const from = Date.now();
    const sockets = await Promise.all(
      Array.from({ length: users }, (_, worker) =>
        driveUse(target.url, worker === 0 ? target.publishRaw : undefined, minutes * 60_000),
      ),
    );
    // One more scrape and rule window after the last request, so the last writes are in the picture.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const to = Date.now();
    const panels = await evaluatePanels(from, to);
    for (const close of sockets) await close();
    // Kept: `--render` draws them again without a run.
    writeFileSync(PANELS, JSON.stringify({ from, to, users, panels }));
    await renderTo(panels, { from, to, users });
  } finally {
    prometheus?.kill('SIGTERM');
    lagExporter?.close();
    await target.stop();
    record.close();
  }
}

// Last: the module's constants above are initialised by now.
await main();
