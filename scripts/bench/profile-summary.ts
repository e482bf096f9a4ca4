/**
 * The heaviest frames of a V8 CPU profile (`npm run bench -- --cpu-prof <dir>` writes one):
 * self time per function and per package, as a share of the sampled time.
 *
 *   npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top 25]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
};
const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const sampledMs = (profile.endTime - profile.startTime) / 1000;

/** node_modules/<package> (scoped too), the project's own file, or V8's own ("(garbage collector)"). */
function owner(url: string): string {
  const inPackage = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inPackage) return inPackage[1] as string;
  if (url.startsWith('node:')) return 'node (built-in)';
  const own = url.match(/\/(contracts|domain|platform|services\/[^/]+|runtime|web)\//);
  return own ? `@todo ${own[1]}` : '(V8 / native)';
}

const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|perf-pg)\//, '')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + hits);
}
const share = (hits: number) => `${((100 * hits) / totalHits).toFixed(1)} %`;
const top = (map: Map<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))
    .map(([name, hits]) => ({ self: share(hits), name }));
console.log(`${file}: ${sampledMs.toFixed(0)} ms sampled, ${totalHits} samples`);
console.table(top(byOwner));
console.table(top(byFunction));
