/**
 * No regular expression in the product can backtrack super-linearly (issue 13: one chat message
 * held the event loop for 16 s). Every regex literal and every `new RegExp` of domain/, services/,
 * platform/ and runtime/ — found with the TypeScript compiler API, their sources folded from
 * constants — must be proven `safe` by recheck: first its exact automaton check, then, where the
 * automaton grows too large within the budget (big case-insensitive alternations), its fuzzer.
 * A fixture of known-bad patterns shows the check catches what it should. There are no exceptions.
 */
import { check, type Diagnostics } from 'recheck';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FoundRegex, findRegexes, type RegexInventory } from '../support/regex-sources.js';

const PRODUCT = /^(?:domain|services\/[^/]+|platform|runtime)\/src\//;
const FIXTURES = 'tests/static/fixtures/';

async function verdict({ source, flags }: FoundRegex): Promise<Diagnostics> {
  const exact = await check(source, flags, { checker: 'automaton', timeout: 2_000 });
  if (exact.status !== 'unknown') return exact;
  // A fixed seed: the fuzzer's verdict on a pattern is the same in every run.
  return check(source, flags, { checker: 'fuzz', seeder: 'static', randomSeed: 20261202, timeout: 5_000 });
}

function describeVerdict(regex: FoundRegex, result: Diagnostics): string {
  const detail =
    result.status === 'vulnerable'
      ? `${result.complexity.type}, attack ${result.attack.pattern}`
      : result.status === 'unknown'
        ? `undecided (${result.error.kind})`
        : result.status;
  return `${regex.where} /${regex.source}/${regex.flags}: ${detail}`;
}

/** Checks two at a time (the native checker runs each in its own thread). */
async function unsafeAmong(regexes: FoundRegex[]): Promise<string[]> {
  const queue = [...regexes];
  const unsafe: string[] = [];
  const worker = async () => {
    for (let regex = queue.shift(); regex; regex = queue.shift()) {
      const result = await verdict(regex);
      if (result.status !== 'safe') unsafe.push(describeVerdict(regex, result));
    }
  };
  await Promise.all([worker(), worker()]);
  return unsafe.sort();
}

describe('regular expressions', () => {
  let inventory: RegexInventory;
  beforeAll(() => {
    inventory = findRegexes((path) => PRODUCT.test(path) || path.startsWith(FIXTURES));
  });

  it('in the product are all constant and safe from super-linear backtracking', {
    timeout: 300_000,
  }, async () => {
    const product = inventory.regexes.filter((r) => !r.where.startsWith(FIXTURES));
    expect(product.length).toBeGreaterThan(200);
    expect(inventory.unresolved.filter((u) => !u.startsWith(FIXTURES))).toEqual([]);
    expect(await unsafeAmong(product)).toEqual([]);
  });

  it('catches known-bad patterns: a literal, one folded across modules, one concatenated', async () => {
    const fixtures = inventory.regexes.filter((r) => r.where.startsWith(FIXTURES));
    expect(fixtures.map((r) => r.source)).toEqual(['^(a+)+$', '^(?:(?:\\w+\\s?)+)$', '^(?:x|xy?)*z$']);
    for (const regex of fixtures) expect((await verdict(regex)).status, regex.where).toBe('vulnerable');
  });
});
