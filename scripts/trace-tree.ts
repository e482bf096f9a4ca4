/**
 * `npm run trace -- <trace id>`: one trace from Zipkin's API as an indented tree — each span with
 * its service, name, start offset and duration — for a terminal, a ticket or the README.
 *
 * Env: ZIPKIN_URL (http://127.0.0.1:9411, where `npm run stack` starts it).
 */
import { argv, env, exit } from 'node:process';

const traceId = argv[2] ?? '';
if (!/^[0-9a-f]{16}([0-9a-f]{16})?$/.test(traceId)) {
  console.error('usage: npm run trace -- <trace id: 16 or 32 lowercase hex digits>');
  exit(2);
}
const zipkin = env.ZIPKIN_URL ?? 'http://127.0.0.1:9411';

interface ZipkinSpan {
  id: string;
  parentId?: string;
  name?: string;
  kind?: string;
  timestamp?: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
}

const response = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
if (!response.ok) {
  console.error(`zipkin ${zipkin}: ${response.status} ${await response.text()}`);
  exit(1);
}
const spans = ((await response.json()) as ZipkinSpan[]).sort(
  (a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0),
);
const start = spans[0]?.timestamp ?? 0;
const ids = new Set(spans.map((span) => span.id));
const children = new Map<string, ZipkinSpan[]>();
for (const span of spans) {
  // A span whose parent is not in the trace (the caller's, or not yet reported) is shown at the top.
  const parent = span.parentId && ids.has(span.parentId) ? span.parentId : '';
  children.set(parent, [...(children.get(parent) ?? []), span]);
}
const ms = (micros: number | undefined) => `${((micros ?? 0) / 1000).toFixed(1)} ms`;
const print = (parent: string, depth: number) => {
  for (const span of children.get(parent) ?? []) {
    const label = `${'  '.repeat(depth)}${span.localEndpoint?.serviceName ?? '?'}: ${span.name ?? ''}`;
    console.log(
      `${label.padEnd(70)} +${ms((span.timestamp ?? start) - start).padStart(10)} ${ms(span.duration).padStart(10)}`,
    );
    print(span.id, depth + 1);
  }
};
console.log(
  `trace ${traceId}: ${spans.length} spans in ${new Set(spans.map((s) => s.localEndpoint?.serviceName)).size} services`,
);
print('', 0);
