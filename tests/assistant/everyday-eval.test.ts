/**
 * The everyday set of issue 14 (evals/chat/everyday.jsonl) through POST /api/chat, as
 * `npm run eval:chat` runs it: fails below 95 % overall or 90 % for any family.
 */
import { fileURLToPath } from 'node:url';
import { ConversationStore } from '@todo/api/assistant/conversations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_ENV, loadCases, runSet } from '../../evals/chat/endpoint.js';
import { EVAL_FAMILIES, formatTable, gateFailure, summarize } from '../../evals/chat/evaluate.js';
import { startTestApp, type TestApp } from '../support/app.js';

const cases = loadCases(fileURLToPath(new URL('../../evals/chat/everyday.jsonl', import.meta.url)));

describe('the everyday evaluation set through the chat endpoint', () => {
  let app: TestApp;
  let now = new Date();

  beforeAll(async () => {
    app = await startTestApp({ LOG_LEVEL: 'error', ...EVAL_ENV }, { clock: () => now });
  });
  afterAll(() => app?.close());

  it('has at least 150 cases with unique ids, each in a family', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(EVAL_FAMILIES, c.id).toContain(c.family);
  });

  it('is understood (≥ 95 % overall, ≥ 90 % per family)', { timeout: 600_000 }, async () => {
    const results = await runSet(cases, app.url, new ConversationStore(app.db), (at) => {
      now = at;
    });
    const summary = summarize(results);
    console.log(`\n${formatTable(summary, 'family')}`);
    for (const f of results.filter((r) => !r.score.pass))
      console.log(`✗ ${f.testCase.id} “${f.testCase.message}”: ${f.score.mismatches.join('; ')}`);
    expect(summary.total).toBe(cases.length);
    expect(gateFailure(summary, 'family')).toBeNull();
  });
});
