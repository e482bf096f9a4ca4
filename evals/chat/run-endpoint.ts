/**
 * `npm run eval:chat`: the chat evaluation sets against the real chat endpoint (endpoint.ts), on the
 * app started in-process (embedded mode, a fresh private PostgreSQL in a temporary directory, a free
 * port, its clock pinned to each case's `now`).
 *
 * Two sets, both gated (exits 1 below 95 % overall or 90 % for any group): `utterances.jsonl`
 * reported per intent, `everyday.jsonl` (issue 14) per family. `--file <path>` runs one file,
 * `--family <name>` only the cases of that family (never gated: the gate is for a whole set).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConversationStore } from '@todo/api/assistant/conversations';
import { loadConfig } from '@todo/platform/config';
import { startEmbedded } from '../../runtime/src/embedded.js';
import { EVAL_ENV, loadCases, runSet } from './endpoint.js';
import { EVAL_FAMILIES, type EvalCase, formatTable, gateFailure, summarize } from './evaluate.js';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const SETS = [here('./utterances.jsonl'), here('./everyday.jsonl')];

interface EvalSet {
  file: string;
  gated: boolean;
  by: 'intent' | 'family';
  cases: EvalCase[];
}

function evalSets(): EvalSet[] {
  const { values } = parseArgs({ options: { file: { type: 'string' }, family: { type: 'string' } } });
  const family = values.family;
  if (family !== undefined && !(EVAL_FAMILIES as readonly string[]).includes(family))
    throw new Error(`--family must be one of ${EVAL_FAMILIES.join(', ')}; got ${family}`);
  const files = values.file ? [resolve(values.file)] : SETS;
  return files.map((file) => {
    const all = loadCases(file);
    const cases = family ? all.filter((c) => c.family === family) : all;
    const byFamily = cases.some((c) => c.family !== undefined);
    return { file, gated: SETS.includes(file) && !family, by: byFamily ? 'family' : 'intent', cases };
  });
}

const sets = evalSets();
const dataDir = mkdtempSync(join(tmpdir(), 'todo-eval-chat-'));
let now = new Date();
const app = await startEmbedded(
  loadConfig({ PORT: '0', LOG_LEVEL: 'error', DATA_DIR: dataDir, ...EVAL_ENV }),
  { clock: () => now },
);
try {
  const conversations = new ConversationStore(app.db);
  for (const set of sets) {
    const results = await runSet(set.cases, app.url, conversations, (at) => {
      now = at;
    });
    const summary = summarize(results);
    const failures = results
      .filter((r) => !r.score.pass)
      .sort((a, b) => a.testCase.id.localeCompare(b.testCase.id));
    for (const f of failures)
      console.log(`✗ ${f.testCase.id} “${f.testCase.message}”: ${f.score.mismatches.join('; ')}`);
    console.log(
      `\nchat endpoint (${app.url}/api/chat), ${basename(set.file)}: ${set.cases.length} utterances\n${formatTable(summary, set.by)}`,
    );
    const failure = set.gated ? gateFailure(summary, set.by) : null;
    if (failure) {
      console.log(`FAIL: ${failure}`);
      process.exitCode = 1;
    } else if (!set.gated) console.log('(one family or another file: not gated)');
    console.log('');
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
